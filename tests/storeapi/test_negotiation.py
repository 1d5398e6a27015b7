"""storeapi.negotiation: the short way gives what DRF's negotiation gives, or defers to it."""

import pytest
from django.test import RequestFactory
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request

from storeapi.negotiation import StoreContentNegotiation


def _request(accept=None, query=""):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return Request(RequestFactory().get(f"/api/v3/store/products{query}", **headers))


def _choice(negotiation, request, renderers):
    renderer, media_type = negotiation.select_renderer(request, renderers)
    return type(renderer), media_type


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "application/*", "application/json; q=0.9"]
)
def test_json_only_gives_what_drf_gives(accept):
    request = _request(accept)

    ours = _choice(StoreContentNegotiation(), request, [JSONRenderer()])

    assert ours == _choice(DefaultContentNegotiation(), request, [JSONRenderer()])
    assert ours[0] is JSONRenderer


@pytest.mark.parametrize("accept", ["", "text/html", "image/png"])
def test_an_accept_header_without_json_is_still_not_acceptable(accept):
    with pytest.raises(NotAcceptable):
        StoreContentNegotiation().select_renderer(_request(accept), [JSONRenderer()])


def test_a_format_override_or_several_renderers_go_through_drf():
    with pytest.raises(Exception) as raised:
        StoreContentNegotiation().select_renderer(_request("*/*", "?format=html"), [JSONRenderer()])
    assert raised.type.__name__ == "Http404"

    renderers = [BrowsableAPIRenderer(), JSONRenderer()]
    request = _request("text/html")
    assert _choice(StoreContentNegotiation(), request, renderers) == _choice(
        DefaultContentNegotiation(), request, renderers
    )


def test_the_api_answers_json_with_an_accept_header_or_without(api):
    for headers in ({}, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "application/json"}):
        response = api.get("/products", **headers)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
    assert api.get("/products", HTTP_ACCEPT="text/html").status_code == 406
