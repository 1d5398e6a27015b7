"""Load what Django and the apps otherwise load on their first request, without touching the
database or the cache, then freeze the collector's view of it (gunicorn `when_ready`, before
the workers are forked).

Why: a full (generation 2) collection walks every tracked object; in a worker that had loaded
the whole project it took 60-110 ms on this machine, once every few hundred requests, and
each one stalled the requests queued behind it (the benchmark's checkout p99). Objects that
exist before the fork and stay for the process's life are moved to the permanent generation
(`gc.freeze()`), so the full collections in the workers walk only what they created since; it
also keeps the collector from writing to the parent's pages the workers share (copy on write).
"""

from __future__ import annotations

import gc


def warm_up() -> None:
    """Import every view, serializer and URL module, and fill the per-model metadata caches."""
    from django.apps import apps
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    _ = resolver.reverse_dict  # imports every URL module, and with them views and serializers
    for path in ("/healthz", "/api/v3/store/customers/me", "/api/v3/store/products"):
        resolver.resolve(path)
    for model in apps.get_models():
        model._meta.get_fields()
        _ = model._meta.concrete_fields, model._meta.related_objects
    translation.activate(settings.LANGUAGE_CODE)
    translation.deactivate()


def freeze() -> None:
    """Collect once, then leave everything alive now out of later collections."""
    gc.collect()
    gc.freeze()
