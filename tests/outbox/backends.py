"""Mail backends that fail the way an SMTP server does, for the outbox's retry tests."""

from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class UnreachableBackend(BaseEmailBackend):
    """The server cannot be reached: opening the connection fails."""

    def open(self):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, email_messages):
        raise AssertionError("never reached: open() failed")


class RefusingBackend(BaseEmailBackend):
    """The server is up and refuses every recipient."""

    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused(
            {m.to[0]: (550, b"mailbox unavailable") for m in email_messages}
        )
