"""Store API endpoints of customers: the address book, countries, export and account closing."""

from __future__ import annotations

import hashlib
import json

from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from customers import selectors, services
from customers.serializers import (
    AddressInputSerializer,
    AddressSerializer,
    CountrySerializer,
)
from storeapi.errors import InvalidRequest
from storeapi.views import CustomerAPIView, StoreAPIView

ADDRESS_FILTERS = {
    name: path
    for path, names in {
        "first_name": ("first_name", "firstname"),
        "last_name": ("last_name", "lastname"),
        "company": ("company",),
        "address1": ("address1",),
        "address2": ("address2",),
        "city": ("city",),
        "postal_code": ("postal_code", "zipcode"),
        "phone": ("phone",),
        "country_id": ("country_iso", "country"),
        "state_abbr": ("state_abbr", "state"),
        "state_name": ("state_name",),
        "created_at": ("created_at",),
        "updated_at": ("updated_at",),
    }.items()
    for name in names
}


def _input(request, partial: bool = False) -> dict:
    if not isinstance(request.data, dict):
        raise InvalidRequest("The request body must be a JSON object.")
    serializer = AddressInputSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AddressListView(CustomerAPIView):
    filter_fields = ADDRESS_FILTERS
    sort_fields = {
        "created_at": "created_at",
        "updated_at": "updated_at",
        "first_name": "first_name",
        "last_name": "last_name",
        "city": "city",
        "postal_code": "postal_code",
    }

    @extend_schema(responses=AddressSerializer(many=True), tags=["Addresses"])
    def get(self, request):
        return self.list_response(
            selectors.addresses_for_customer(user=request.user), AddressSerializer
        )

    @extend_schema(
        request=AddressInputSerializer, responses={201: AddressSerializer}, tags=["Addresses"]
    )
    def post(self, request):
        address = services.address_create(user=request.user, data=_input(request))
        return Response(self.represent(AddressSerializer, address), status=status.HTTP_201_CREATED)


class AddressDetailView(CustomerAPIView):
    @extend_schema(responses=AddressSerializer, tags=["Addresses"])
    def get(self, request, address_id: str):
        address = selectors.address_get_for_customer(user=request.user, public_id=address_id)
        return Response(self.represent(AddressSerializer, address))

    @extend_schema(request=AddressInputSerializer, responses=AddressSerializer, tags=["Addresses"])
    def patch(self, request, address_id: str):
        address = selectors.address_get_for_customer(user=request.user, public_id=address_id)
        address = services.address_update(
            user=request.user, address=address, data=_input(request, partial=True)
        )
        return Response(self.represent(AddressSerializer, address))

    @extend_schema(responses={204: None}, tags=["Addresses"])
    def delete(self, request, address_id: str):
        address = selectors.address_get_for_customer(user=request.user, public_id=address_id)
        services.address_delete(user=request.user, address=address)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CountryCachingMixin:
    """Guests get public cache headers and an ETag (STORE_API.md §1.8); customers never cache."""

    def cached(self, request, data) -> Response:
        response = Response(data)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            return response
        body = json.dumps(data, sort_keys=True).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        response["Cache-Control"] = "public, max-age=300"
        response["ETag"] = etag
        patch_vary_headers(
            response, ("Accept", "x-spree-currency", "x-spree-locale", "x-spree-channel")
        )
        if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            not_modified = Response(status=status.HTTP_304_NOT_MODIFIED)
            for header in ("Cache-Control", "ETag", "Vary"):
                not_modified[header] = response[header]
            return not_modified
        return response


class CountryListView(CountryCachingMixin, StoreAPIView):
    @extend_schema(responses=CountrySerializer(many=True), tags=["Countries"])
    def get(self, request):
        countries = selectors.countries_served()
        data = CountrySerializer(countries, many=True, context=self.get_serializer_context()).data
        return self.cached(request, {"data": data})


class CountryDetailView(CountryCachingMixin, StoreAPIView):
    @extend_schema(responses=CountrySerializer, tags=["Countries"])
    def get(self, request, iso: str):
        country = selectors.country_get_served(iso=iso)
        return self.cached(request, self.represent(CountrySerializer, country))


class CustomerExportView(CustomerAPIView):
    @extend_schema(responses={200: dict}, tags=["Customers"])
    def get(self, request):
        return Response(selectors.customer_export(user=request.user))
