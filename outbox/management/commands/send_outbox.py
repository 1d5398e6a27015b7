"""The outbox worker: `manage.py send_outbox` keeps sending due emails until SIGTERM/SIGINT;
`--once` sends what is due now and exits. Several may run at once (rows are claimed with
FOR UPDATE SKIP LOCKED); scripts/run-prod starts one next to gunicorn."""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connections

from outbox.services import BATCH_SIZE, outbox_drain, outbox_send

logger = logging.getLogger("outbox")


class Command(BaseCommand):
    help = "Send the outbox's due emails (a worker; --once: what is due now, then exit)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due, then exit")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls when idle"
        )

    def handle(self, *args, once: bool, batch_size: int, interval: float, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        if once:
            result = outbox_drain(batch_size=batch_size)
            self.stdout.write(f"{result.sent} sent, {result.failed} failed")
            return
        self.stopping = False
        previous = {sig: signal.signal(sig, self._stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._work(batch_size, interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _work(self, batch_size: int, interval: float) -> None:
        logger.info("outbox worker started (batch %s, idle poll %.1f s)", batch_size, interval)
        while not self.stopping:
            # As around a request: drop a connection past its age or that went bad.
            close_old_connections()
            try:
                claimed = outbox_send(batch_size=batch_size).claimed
            except DatabaseError:
                # The database is restarting or away: the rows wait; try again shortly.
                logger.exception("outbox worker: database error; retrying")
                connections.close_all()
                claimed = 0
            if claimed < batch_size and not self.stopping:
                time.sleep(interval)
        connections.close_all()
        logger.info("outbox worker stopped")

    def _stop(self, signum, frame):
        self.stopping = True  # the batch being sent finishes first
