"""Any other path under /api/ answers 404 in the error envelope, never an HTML page."""

from django.urls import re_path

from storeapi.views import api_not_found

urlpatterns = [re_path(r"^.*$", api_not_found)]
