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
    _load_data()


def _load_data() -> None:
    """Data and patterns the libraries load on first use: ISO 3166 subdivisions, address rules,
    the currency's formats, the e-mail validator's patterns. Loaded in a worker, they cost its
    first address or cart request 0.2-0.4 s and, never frozen, every full collection after."""
    from decimal import Decimal

    from django.conf import settings
    from django.core.validators import validate_email
    from django.db.utils import load_backend
    from django.utils.module_loading import import_string

    from customers.geography import DEFAULT_SERVED_COUNTRIES, rules, subdivision_index
    from storeapi.money import display_money

    for alias in settings.CACHES:  # the backend and client modules: redis-py is ~0.15 s of imports
        import_string(settings.CACHES[alias]["BACKEND"])
        client_class = settings.CACHES[alias].get("OPTIONS", {}).get("CLIENT_CLASS")
        if client_class or "django_redis" in settings.CACHES[alias]["BACKEND"]:
            import_string(client_class or "django_redis.client.DefaultClient")
    for alias in settings.DATABASES:
        load_backend(settings.DATABASES[alias]["ENGINE"])
    for iso in DEFAULT_SERVED_COUNTRIES:
        rules(iso)
        subdivision_index(iso)
    validate_email("warm-up@example.com")
    display_money(Decimal("1.00"), settings.STORE_CURRENCY)


def freeze() -> None:
    """Collect once, then leave everything alive now out of later collections."""
    gc.collect()
    gc.freeze()
