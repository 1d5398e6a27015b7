from django.urls import path

from customers import api

urlpatterns = [
    path("customers/me/addresses", api.AddressListView.as_view()),
    path("customers/me/addresses/<str:address_id>", api.AddressDetailView.as_view()),
    path("customers/me/export", api.CustomerExportView.as_view()),
    path("countries", api.CountryListView.as_view()),
    path("countries/<str:iso>", api.CountryDetailView.as_view()),
]
