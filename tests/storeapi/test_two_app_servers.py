"""Two gunicorn app servers sharing one PostgreSQL and one Redis behave as one: a session
opened on one is refreshed on the other, and a rate limit counts across both.

Needs the real parts (PostgreSQL via DATABASE_URL, Redis on 127.0.0.1:6379), as `.ci/run` has.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from storeapi.services import api_key_create
from tests.factories import DEFAULT_PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = 3


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a shared PostgreSQL"),
    pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(port, method, path, key, body=None, token=None):
    headers = {"X-Spree-Api-Key": key, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v3/store{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def two_servers():
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    settings = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "0",
        "DATABASE_URL": (
            f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        ),
        "REDIS_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "RATE_LIMITS_ENABLED": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WEB_CONCURRENCY": "1",
    }
    ports, processes = [_free_port(), _free_port()], []
    for port in ports:
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
                cwd=ROOT,
                env={**env, "PORT": str(port)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        for port in ports:
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                        break
                except OSError:
                    if time.time() > deadline:
                        raise
                    time.sleep(0.3)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()


def test_a_session_started_on_one_server_is_refreshed_on_the_other(two_servers):
    first, second = two_servers
    key = api_key_create(name="two servers").token
    user = UserFactory(email="both@example.com")
    credentials = {"email": user.email, "password": DEFAULT_PASSWORD}

    status, login = _call(first, "POST", "/auth/login", key, credentials)
    assert status == 200
    status, refreshed = _call(
        second, "POST", "/auth/refresh", key, {"refresh_token": login["refresh_token"]}
    )
    assert status == 200
    assert refreshed["refresh_token"] != login["refresh_token"]
    status, me = _call(first, "GET", "/customers/me", key, token=refreshed["token"])
    assert status == 200 and me["email"] == user.email
    # the rotated token is dead on both servers
    status, body = _call(
        first, "POST", "/auth/refresh", key, {"refresh_token": login["refresh_token"]}
    )
    assert status == 401 and body["error"]["code"] == "invalid_refresh_token"


def test_a_rate_limit_counts_across_both_servers(two_servers):
    first, second = two_servers
    key = api_key_create(name="two servers").token
    wrong = {"email": "nobody@example.com", "password": "not the password"}
    # the limit is a fixed 60-second window: start early in one so all six land in it
    into_window = time.time() % 60
    if into_window > 40:
        time.sleep(60 - into_window + 0.2)

    statuses = [
        _call(port, "POST", "/auth/login", key, wrong)[0]
        for port in (first, second, first, second, first, second)
    ]

    assert statuses == [401, 401, 401, 401, 401, 429]
