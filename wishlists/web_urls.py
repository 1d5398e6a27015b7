"""Storefront pages of wishlists (Django templates under templates/wishlists/), under
/account/; the public page of a shared wishlist is routed in config/urls.py
(/wishlists/shared/<token>/)."""

from django.urls import path

from wishlists import views

app_name = "wishlists"

urlpatterns = [
    path("wishlists/", views.wishlist_list, name="list"),
    path("wishlists/add/", views.wishlist_add, name="add"),
    path("wishlists/<str:wishlist_id>/", views.wishlist_detail, name="detail"),
    path("wishlists/<str:wishlist_id>/delete/", views.wishlist_delete, name="delete"),
    path("wishlists/<str:wishlist_id>/sharing/", views.wishlist_sharing, name="sharing"),
    path("wishlists/<str:wishlist_id>/default/", views.wishlist_make_default, name="default"),
    path(
        "wishlists/<str:wishlist_id>/items/<str:item_id>/remove/",
        views.item_remove,
        name="item_remove",
    ),
]
