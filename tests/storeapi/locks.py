"""The connection's lock_timeout (DB_LOCK_TIMEOUT, 5 s) shortened for a test that waits on a
lock on purpose."""

from contextlib import contextmanager

from django.db import connection


@contextmanager
def short_lock_timeout(value: str = "300ms"):
    """This thread's connection gives up a lock wait after `value`, then its configured one."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{value}'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")  # back to the connection's own (its options)


@contextmanager
def row_locked_elsewhere(queryset):
    """While inside, another thread (its own connection) holds `queryset.get()`'s row lock."""
    import threading

    from django.db import transaction

    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                queryset.select_for_update().get()
                held.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        yield
    finally:
        release.set()
        holder.join()
