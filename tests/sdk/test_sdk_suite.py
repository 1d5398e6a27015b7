"""Runs the `@spree/sdk` suite (tests/sdk/*.test.mjs) against a live server.

Every response the suite receives is validated with the SDK's own Zod schemas, so this test is
how we know the official client works with our API unchanged.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

from accounts.models import User
from catalog.demo import seed_catalog
from orders.demo import seed_checkout
from payments.demo import seed_payments
from storeapi.services import api_key_create

SDK_DIR = Path(__file__).resolve().parent
NODE_TIMEOUT_SECONDS = 240
SETUP_HINT = "Run `make test`, which installs the SDK suite's packages with `npm ci`."
PAYER_EMAIL = "sdk-payer@example.com"
PAYER_PASSWORD = "correct horse battery"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not on PATH: install Node.js 20 or newer. {SETUP_HINT}")
    if not (SDK_DIR / "node_modules" / "@spree" / "sdk" / "package.json").is_file():
        pytest.fail(f"{SDK_DIR / 'node_modules'} has no @spree/sdk. {SETUP_HINT}")
    return node


def _text(output: str | bytes | None) -> str:
    # TimeoutExpired carries bytes even when the run asked for text.
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def test_spree_sdk_suite_passes_against_live_server(live_server, transactional_db, settings):
    node = _node()
    # The suite registers and logs in several customers a minute from one IP, far past the
    # per-IP auth limits; live_server runs in this process, so the override reaches it.
    settings.RATE_LIMITS_ENABLED = False
    # Counters and cached API keys of earlier tests must not reach the live server.
    cache.clear()
    api_key = api_key_create(name="SDK suite")
    # The demo catalog for the catalog and cart suites (catalog/demo.py), flushed afterwards.
    catalog = seed_catalog(write=lambda _line: None)
    # Checkout (zone, delivery methods, Check) and, for payments.test.mjs, the test gateways
    # plus store credit and a gift card belonging to a customer the suite logs in as.
    checkout = seed_checkout(write=lambda _line: None)
    payer = User.objects.create_user(
        PAYER_EMAIL, PAYER_PASSWORD, first_name="Paula", last_name="Payer"
    )
    payments = seed_payments(user=payer, write=lambda _line: None)
    payer_login = {"payer_email": PAYER_EMAIL, "payer_password": PAYER_PASSWORD}
    demo = {**catalog, **checkout, **payments, **payer_login}
    test_files = sorted(path.name for path in SDK_DIR.glob("*.test.mjs"))
    assert test_files, f"no *.test.mjs files in {SDK_DIR}"

    env = {
        **os.environ,
        "SPREE_BASE_URL": live_server.url,
        "SPREE_PUBLISHABLE_KEY": api_key.token,
        "NO_COLOR": "1",
        **{f"SPREE_DEMO_{key.upper()}": value for key, value in demo.items()},
    }
    try:
        result = subprocess.run(
            [node, "--test", "--test-concurrency=1", *test_files],
            cwd=SDK_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"the SDK suite did not finish in {NODE_TIMEOUT_SECONDS} s\n"
            f"--- stdout ---\n{_text(exc.stdout)}\n--- stderr ---\n{_text(exc.stderr)}"
        )

    assert result.returncode == 0, (
        f"the SDK suite failed (exit {result.returncode})\n"
        f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
    )
