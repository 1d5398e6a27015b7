"""A kind of email for the outbox's own tests: a note about object N, built without any other
app's data. `notes.missing` lists objects that no longer exist; `notes.built` each build."""

from types import SimpleNamespace

import pytest
from django.core.mail import EmailMessage

from outbox import services

NOTE = "test_note"


@pytest.fixture
def notes():
    state = SimpleNamespace(missing=set(), built=[])

    def build(object_ids: list[int]) -> dict[int, EmailMessage]:
        state.built.append(list(object_ids))
        return {
            pk: EmailMessage(subject=f"Note {pk}", body=f"About {pk}.", from_email="shop@x.test")
            for pk in object_ids
            if pk not in state.missing
        }

    services.email_kind_register(NOTE, build)
    yield state
    services._BUILDERS.pop(NOTE, None)
