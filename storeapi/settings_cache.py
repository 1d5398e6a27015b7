"""A process-local, short-lived copy of the shop's settings: the rows staff edit in the admin
and every checkout request reads (payment and delivery methods, zones, tax rates, stock
locations, countries).

    @settings_cached(PaymentMethod)
    def _active_payment_methods() -> tuple[PaymentMethod, ...]: ...

A decorated loader is called as before; what it answers (per arguments) is kept in this
process for `SHOP_SETTINGS_CACHE_SECONDS` (0: nothing is kept). A save or delete of a model it
names (`post_save`, `post_delete`; `m2m_changed` for an M2M's auto-created table) forgets it
at once and again when the change commits: the process that made the change sees it at once,
every other one (gunicorn workers, app servers) within the TTL. That is the price: for up to
that long another process may still offer, or accept, a payment or delivery method staff just
switched off, and price with a tax rate just changed (the publishable keys' local copy makes
the same trade, storeapi/selectors.py). Writes that send no signals (`QuerySet.update`,
`bulk_create`, storeapi.sql) call the loader's `forget()` themselves.

What is kept is shared by every request of the process, so callers treat it as read-only: no
attribute set on a kept instance, no relation loaded into it (`set_cached_value`, a lazy
foreign key, a prefetch); they may hang it on their own objects
(`DeliveryRate(delivery_method=method)`). Loaders answer tuples (or other immutable values),
never customer data, stock, prices, or rows a transaction locks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

#: A loader keeps at most this many answers (one per arguments); past it, it starts over.
MAX_ENTRIES = 512

_loaders: list[SettingsCache[Any]] = []


class SettingsCache[T]:
    """A loader whose answers are kept per arguments for SHOP_SETTINGS_CACHE_SECONDS and
    forgotten when one of `models` changes."""

    def __init__(self, load: Callable[..., T], models: tuple[type[Model], ...]) -> None:
        self._load = load
        self._entries: dict[tuple[Hashable, ...], tuple[float, T]] = {}
        self._generation = 0
        update_wrapper(self, load)
        for model in models:
            self._forget_on_change(model)
        _loaders.append(self)

    def __call__(self, *args: Hashable, **kwargs: Hashable) -> T:
        key = (*args, *kwargs.items()) if kwargs else args
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        generation = self._generation
        value = self._load(*args, **kwargs)
        seconds = settings.SHOP_SETTINGS_CACHE_SECONDS
        # Not kept if a change was forgotten while it loaded (another thread's commit): the
        # answer may predate it.
        if seconds > 0 and generation == self._generation:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries = {}
            self._entries[key] = (now + seconds, value)
        return value

    def forget(self, *, using: str | None = None) -> None:
        """Forget every answer now and, inside a transaction, again when it commits (another
        thread may read the rows as they were until then)."""
        self._forget_now()
        if transaction.get_connection(using).in_atomic_block:
            transaction.on_commit(self._forget_now, using=using)

    def _forget_now(self) -> None:
        self._generation += 1
        self._entries = {}

    def _forget_on_change(self, model: type[Model]) -> None:
        if model._meta.auto_created:  # an M2M's table: its changes are told by m2m_changed

            def m2m_receiver(sender, action: str, using: str | None = None, **kwargs) -> None:
                if action.startswith("post_"):
                    self.forget(using=using)

            m2m_changed.connect(m2m_receiver, sender=model, weak=False)
            return

        def receiver(sender, using: str | None = None, **kwargs) -> None:
            self.forget(using=using)

        post_save.connect(receiver, sender=model, weak=False)
        post_delete.connect(receiver, sender=model, weak=False)


def settings_cached[T](
    *models: type[Model],
) -> Callable[[Callable[..., T]], SettingsCache[T]]:
    """Keep the decorated loader's answers in this process (see the module), forgotten when a
    row of `models` is saved or deleted."""

    def decorate(load: Callable[..., T]) -> SettingsCache[T]:
        return SettingsCache(load, models)

    return decorate


def clear() -> None:
    """Forget every kept answer of every loader, now (tests; writes that send no signals)."""
    for loader in _loaders:
        loader._forget_now()
