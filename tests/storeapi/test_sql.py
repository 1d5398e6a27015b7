"""storeapi.sql: precompiled reads give the same instances and values as the ORM."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuthSession, User
from customers.models import Address
from payments.models import StoreCredit
from payments.selectors import store_credit_available_total
from payments.services.balances import store_credit_grant
from storeapi.sql import (
    Select,
    exists,
    insert,
    insert_numbered,
    save_fields,
    scalar_decimal,
    update,
)
from tests.factories import AddressFactory, UserFactory

USERS = Select([(User, "u")], 'FROM "accounts_user" u WHERE u.id = %s')


def _values(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_select_gives_what_the_orm_gives_json_datetimes_and_booleans_included(db):
    user = UserFactory(private_metadata={"tier": "gold", "n": 2}, is_staff=True)

    (found,) = USERS.first([user.pk])

    assert _values(found) == _values(User.objects.get(pk=user.pk))
    assert found.private_metadata == {"tier": "gold", "n": 2}
    assert found.is_staff is True
    assert found.date_joined.tzinfo is not None


def test_an_instance_from_select_saves_as_an_update(db):
    user = UserFactory(first_name="Ada")

    (found,) = USERS.first([user.pk])
    found.first_name = "Grace"
    found.save(update_fields=["first_name"])

    assert User.objects.count() == 1
    assert User.objects.get(pk=user.pk).first_name == "Grace"


def test_select_joins_models_row_by_row(db):
    user = UserFactory()
    AddressFactory(user=user, city="Paris")
    joined = Select(
        [(User, "u"), (AddressFactory._meta.model, "a")],
        'FROM "accounts_user" u INNER JOIN "customers_address" a ON a.user_id = u.id '
        "WHERE u.id = %s",
    )

    rows = joined.all([user.pk])

    assert [(u.pk, a.city) for u, a in rows] == [(user.pk, "Paris")]
    assert joined.first([0]) is None


def test_a_part_read_once_is_one_instance_shared_by_every_row(db):
    user = UserFactory(private_metadata={"k": 1})
    AddressFactory(user=user, city="Paris")
    AddressFactory(user=user, city="Rome")
    joined = Select(
        [(User, "u"), (Address, "a")],
        'FROM "accounts_user" u LEFT JOIN "customers_address" a ON a.user_id = u.id '
        "WHERE u.id = %s ORDER BY a.city",
        optional=("a",),
        once=("u",),
    )

    rows = joined.all([user.pk])

    assert [a.city for _, a in rows] == ["Paris", "Rome"]
    assert rows[0][0] is rows[1][0]
    assert _values(rows[0][0]) == _values(User.objects.get(pk=user.pk))
    lonely = UserFactory()
    assert joined.all([lonely.pk]) == [(joined.first([lonely.pk])[0], None)]


def test_extras_follow_the_instances_as_exact_decimals(db, customer):
    from django.db.models import DecimalField

    for amount in ("0.10", "0.20", "100.07"):
        store_credit_grant(user=customer, amount=Decimal(amount), currency="USD")
    with_total = Select(
        [(User, "u")],
        'FROM "accounts_user" u WHERE u.id = %s',
        extras=[
            (
                '(SELECT SUM("amount") FROM "payments_storecredit" WHERE "user_id" = u.id '
                'AND "currency" = %s)',
                DecimalField(max_digits=30, decimal_places=2),
            )
        ],
    )

    user, total = with_total.first(["USD", customer.pk])
    _, none = with_total.first(["EUR", customer.pk])

    assert (user.pk, total, str(total), none) == (customer.pk, Decimal("100.37"), "100.37", None)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepared statements")
def test_statements_are_prepared_once_per_connection_on_postgresql(db):
    user = UserFactory()

    for _ in range(3):
        assert USERS.first([user.pk])[0].pk == user.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements WHERE statement = %s",
            [USERS.sql.replace("%s", "$1")],
        )
        executions = cursor.fetchall()

    # One prepared statement (int parameters may come as int2/int4/int8: one per type).
    assert len(executions) == 1
    assert executions[0][0] >= 3


def test_lock_clause_is_sent_only_where_rows_can_be_locked(db):
    locked = Select([(User, "u")], 'FROM "accounts_user" u WHERE u.id = %s', lock="FOR UPDATE")
    user = UserFactory()

    with CaptureQueriesContext(connection) as captured:
        assert locked.first([user.pk])[0].pk == user.pk

    sent = captured.captured_queries[-1]["sql"]
    assert ("FOR UPDATE" in sent) is connection.features.has_select_for_update


def test_scalar_decimal_is_exact_where_sqlite_sums_in_floats(db, customer):
    for amount in ("0.10", "0.20", "100.07"):
        store_credit_grant(user=customer, amount=Decimal(amount), currency="USD")
    sql = 'SELECT SUM("amount") FROM "payments_storecredit" WHERE "user_id" = %s'

    total = scalar_decimal(sql, [customer.pk], decimal_places=2)

    assert total == Decimal("100.37")
    assert str(total) == "100.37"
    assert scalar_decimal(sql, [0], decimal_places=2) is None


def test_store_credit_total_subtracts_used_and_authorized_in_the_currency(db, customer):
    credit = store_credit_grant(user=customer, amount=Decimal("50.00"), currency="USD")
    StoreCredit.objects.filter(pk=credit.pk).update(
        amount_used=Decimal("10.25"), amount_authorized=Decimal("4.50")
    )
    store_credit_grant(user=customer, amount=Decimal("9.99"), currency="EUR")

    assert store_credit_available_total(user=customer, currency="USD") == Decimal("35.25")
    assert store_credit_available_total(user=customer, currency="EUR") == Decimal("9.99")
    assert store_credit_available_total(user=customer, currency="GBP") == Decimal("0")


def _session(user, **fields):
    return AuthSession(user=user, expires_at=timezone.now() + timedelta(days=1), **fields)


def test_insert_writes_rows_as_save_would_and_gives_them_their_keys(db, customer):
    one, two = _session(customer, user_agent="a"), _session(customer, user_agent="b")

    insert(one)
    insert(two, _session(customer, user_agent="c"))

    rows = AuthSession.objects.filter(user=customer).order_by("pk")
    assert [(s.pk, s.user_agent) for s in rows][:2] == [(one.pk, "a"), (two.pk, "b")]
    assert rows.count() == 3
    assert one._state.adding is False
    assert rows[0].created_at is not None  # auto_now_add applied
    assert rows[0].revoked_at is None


def test_update_changes_the_matching_rows_and_says_how_many(db, customer, other_customer):
    mine, theirs = _session(customer), _session(other_customer)
    insert(mine)
    insert(theirs)
    when = timezone.now()

    changed = update(AuthSession, {"revoked_at": when}, user_id=customer.pk, revoked_at=None)

    assert changed == 1
    assert AuthSession.objects.get(pk=mine.pk).revoked_at == when
    assert AuthSession.objects.get(pk=theirs.pk).revoked_at is None
    assert update(AuthSession, {"revoked_at": when}, user_id=customer.pk, revoked_at=None) == 0


def test_save_fields_moves_auto_now_and_refuses_a_row_that_is_gone(db, customer):
    address = AddressFactory(user=customer, city="Paris")
    before = Address.objects.get(pk=address.pk).updated_at
    address.city = "Lyon"

    save_fields(address, ["city", "updated_at"])

    stored = Address.objects.get(pk=address.pk)
    assert (stored.city, stored.updated_at > before) == ("Lyon", True)
    Address.objects.filter(pk=address.pk).delete()
    with pytest.raises(DatabaseError):
        save_fields(address, ["city"])


def test_exists_matches_equality_and_null_conditions(db, customer):
    session = _session(customer)
    insert(session)

    assert exists(AuthSession, pk=session.pk, revoked_at=None) is True
    assert exists(AuthSession, pk=session.pk, user_agent="other") is False


def test_a_part_read_with_only_some_fields_defers_the_others(db, django_assert_num_queries):
    user = UserFactory(first_name="Ada", private_metadata={"k": 1})
    narrow = Select(
        [(User, "u", ("email", "first_name"))], 'FROM "accounts_user" u WHERE u.id = %s'
    )

    with django_assert_num_queries(1):
        (found,) = narrow.first([user.pk])
        assert (found.pk, found.email, found.first_name) == (user.pk, user.email, "Ada")
    assert found.get_deferred_fields() == {f.attname for f in User._meta.concrete_fields} - {
        "id",
        "email",
        "first_name",
    }
    with django_assert_num_queries(1):
        assert found.private_metadata == {"k": 1}  # a deferred field is read when used
    with pytest.raises(ValueError):
        Select([(User, "u", ("no_such_field",))], 'FROM "accounts_user" u')


def test_insert_numbered_draws_again_past_a_taken_value_in_one_statement_each(
    db, django_assert_num_queries
):
    from storeapi.models import ApiKey

    insert(ApiKey(name="first", token="pk_taken"))
    drawn = iter(["pk_taken", "pk_fresh"])
    key = ApiKey(name="second")

    with django_assert_num_queries(2):  # the taken value, then the fresh one; no reads
        insert_numbered(key, field="token", generate=lambda: next(drawn))

    assert key.pk is not None and key._state.adding is False
    assert key.token == "pk_fresh"
    assert list(ApiKey.objects.order_by("pk").values_list("name", "token")) == [
        ("first", "pk_taken"),
        ("second", "pk_fresh"),
    ]
    # The skipped conflict left the transaction usable.
    assert ApiKey.objects.get(pk=key.pk).created_at is not None


def test_insert_numbered_gives_up_when_every_value_is_taken(db):
    from storeapi.models import ApiKey

    insert(ApiKey(name="first", token="pk_taken"))

    with pytest.raises(RuntimeError, match="could not find a free ApiKey token"):
        insert_numbered(ApiKey(name="second"), field="token", generate=lambda: "pk_taken")

    assert list(ApiKey.objects.values_list("name", flat=True)) == ["first"]
