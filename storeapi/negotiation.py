"""Content negotiation: the Store API answers JSON only (one renderer)."""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers that leave no choice to make when JSON is the only renderer; what DRF's
# negotiation answers for each is pinned by tests/storeapi/test_negotiation.py.
# (None: no Accept header; an empty one accepts nothing, and DRF says 406.)
_TAKES_JSON = frozenset({None, "*/*", "application/json"})


class StoreContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, without parsing the usual Accept headers when JSON is the only
    renderer (it costs ~50 us a request); anything else (e.g. `text/html`, 406) goes to DRF."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT")
        if len(renderers) == 1 and accept in _TAKES_JSON and not format_suffix:
            renderer = renderers[0]
            if renderer.media_type == "application/json" and not request.query_params.get(
                self.settings.URL_FORMAT_OVERRIDE or ""
            ):
                return renderer, "application/json"
        return super().select_renderer(request, renderers, format_suffix)
