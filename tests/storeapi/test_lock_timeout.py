"""Every PostgreSQL connection carries the lock timeout (DB_LOCK_TIMEOUT): a request waiting on
another one's lock gives up with an enveloped answer instead of hanging, and nothing is written."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections

from accounts.models import User
from tests.storeapi.locks import row_locked_elsewhere, short_lock_timeout

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's lock_timeout"),
]


@pytest.mark.django_db
def test_every_connection_starts_with_the_configured_lock_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        (value,) = cursor.fetchone()

    assert value == connection.settings_dict["OPTIONS"]["lock_timeout"] == "5s"


@pytest.mark.django_db
def test_reset_goes_back_to_the_configured_lock_timeout():
    with short_lock_timeout("50ms"), connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("50ms",)
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("5s",)


@pytest.mark.parametrize("value", ["5 s", "5s; DROP TABLE x", "soon", "-1"])
def test_a_malformed_lock_timeout_is_refused(value):
    default = connections["default"]
    settings = {**default.settings_dict, "OPTIONS": {**default.settings_dict["OPTIONS"]}}
    settings["OPTIONS"]["lock_timeout"] = value
    wrapper = type(default)(settings, alias="lock_timeout_probe")

    with pytest.raises(ImproperlyConfigured):
        wrapper.get_connection_params()


@pytest.mark.django_db(transaction=True)
def test_a_profile_change_behind_another_requests_lock_answers_503(customer, customer_api):
    with row_locked_elsewhere(User.objects.filter(pk=customer.pk)), short_lock_timeout():
        response = customer_api.patch("/customers/me", {"first_name": "Late"})

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "service_unavailable"
    customer.refresh_from_db()
    assert customer.first_name == "Ada"
