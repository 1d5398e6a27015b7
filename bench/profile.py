#!/usr/bin/env python
"""Per-request cost of the benchmark's endpoints, in one process. Prints numbers; not a test.

    .venv/bin/python bench/profile.py [--requests 300] [--only me,products] [--pyinstrument]

Loads the production settings against the benchmark database (PostgreSQL + Redis, seeded by
scripts/run-prod or bench/run.py) and calls the WSGI application directly, without a server
or a socket, so the figure is what Django, DRF, the ORM and the database cost per request on
one core. With --pyinstrument it prints a call-stack profile for each scenario.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def environment() -> dict[str, str]:
    from bench.run import bench_services

    env = {
        **bench_services(),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": f"filemail://{ROOT / 'var' / 'mail'}",
    }
    (ROOT / "var").mkdir(exist_ok=True)
    for name in ("SECRET_KEY", "JWT_SIGNING_KEY"):
        path = ROOT / "var" / name.lower()
        if not path.exists():
            import secrets

            path.write_text(secrets.token_urlsafe(50))
        env[name] = path.read_text().strip()
    return env


def seed(env: dict[str, str]) -> dict:
    full = {**os.environ, **env}
    db = env["DATABASE_URL"]
    name = db.rsplit("/", 1)[1]
    subprocess.run(
        ["psql", db.rsplit("/", 1)[0] + "/postgres", "-qc", f'CREATE DATABASE "{name}"'],
        capture_output=True,
    )
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=full, check=True
    )
    out = subprocess.run(
        [python, "manage.py", "seed_demo"],
        cwd=ROOT,
        env=full,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    from bench.run import analyze

    analyze(db, vacuum=True)  # autovacuum is off on this machine's PostgreSQL
    return json.loads(out.strip().splitlines()[-1])


class Caller:
    """Calls the WSGI application; adds each call's CPU time to `steps[step]` when a step is
    named (the checkout's per-request breakdown)."""

    def __init__(self, app, key: str):
        self.app, self.key = app, key
        self.steps: dict[str, list[float]] = {}

    def __call__(self, method, path, body=None, token=None, cart_token=None, expect=None, step=""):
        if not step:
            return self._call(method, path, body, token, cart_token, expect)
        cpu = time.process_time()
        try:
            return self._call(method, path, body, token, cart_token, expect)
        finally:
            self.steps.setdefault(step, []).append(time.process_time() - cpu)

    def _call(self, method, path, body, token, cart_token, expect):
        payload = json.dumps(body).encode() if body is not None else b""
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path
            if path.startswith("/healthz")
            else f"/api/v3/store{path.split('?')[0]}",
            "QUERY_STRING": path.split("?", 1)[1] if "?" in path else "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(payload),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(payload)),
            "CONTENT_TYPE": "application/json",
            "HTTP_X_SPREE_API_KEY": self.key,
        }
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if cart_token:
            environ["HTTP_X_SPREE_TOKEN"] = cart_token
        status = []
        chunks = self.app(environ, lambda s, h, exc=None: status.append(int(s[:3])))
        data = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        if expect and status[0] != expect:
            raise SystemExit(f"{method} {path}: {status[0]} {data[:300]!r}")
        return status[0], (json.loads(data) if data and data[:1] in b"{[" else None)


def scenarios(call, data):
    from bench.robustness import ADDRESS

    variant = data["variant_id"]
    state = {}

    def me():
        call("GET", "/customers/me", token=data["token"], expect=200)

    def products():
        call("GET", "/products", expect=200)

    def cart():
        call("GET", f"/carts/{data['cart_id']}", cart_token=data["cart_token"], expect=200)

    def add():
        if state.get("adds", 100) >= 100:
            _, c = call("POST", "/carts", expect=201)
            state.update(cart=c["id"], token=c["token"], adds=0)
        call(
            "POST",
            f"/carts/{state['cart']}/items",
            {"variant_id": variant, "quantity": 1},
            cart_token=state["token"],
            expect=201,
        )
        state["adds"] += 1

    def checkout():
        _, c = call("POST", "/carts", expect=201, step="create")
        cid, tok = c["id"], c["token"]
        call(
            "POST",
            f"/carts/{cid}/items",
            {"variant_id": variant, "quantity": 2},
            cart_token=tok,
            expect=201,
            step="add",
        )
        call(
            "PATCH",
            f"/carts/{cid}",
            {
                "email": "bench@example.com",
                "use_shipping": True,
                "shipping_address": ADDRESS,
            },
            cart_token=tok,
            expect=200,
            step="address",
        )
        call(
            "POST",
            f"/carts/{cid}/payments",
            {"payment_method_id": data["check_payment_method_id"]},
            cart_token=tok,
            expect=201,
            step="payment",
        )
        call("POST", f"/carts/{cid}/complete", cart_token=tok, expect=200, step="complete")

    def refresh():
        if "refresh" not in state:
            _, body = call(
                "POST",
                "/auth/login",
                {"email": data["user_email"], "password": data["user_password"]},
                expect=200,
            )
            state["refresh"] = body["refresh_token"]
        _, body = call("POST", "/auth/refresh", {"refresh_token": state["refresh"]}, expect=200)
        state["refresh"] = body["refresh_token"]

    def healthz():
        call("GET", "/healthz", expect=200)

    return {
        "healthz": (healthz, 1),
        "me": (me, 1),
        "products": (products, 1),
        "cart": (cart, 1),
        "add": (add, 1.01),
        "checkout": (checkout, 5),
        "refresh": (refresh, 1),
    }


def database_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this process has used (from /proc: the
    server runs on this machine), so a request's cost includes the database's parsing,
    planning and executing, not only the Python side."""
    from django.db import connection

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def outbox_drain_quietly() -> None:
    """Emails queued by an earlier run (no worker runs here) are sent first, unmeasured."""
    from outbox.services import outbox_drain

    outbox_drain(batch_size=100)


def outbox_worker_cost() -> None:
    """What the outbox worker spends per confirmation email the run queued (production
    settings: requests only queue them), measured by draining them here."""
    from django.conf import settings

    from outbox.services import outbox_drain

    if not settings.EMAIL_OUTBOX_WORKER:
        return
    cpu = time.process_time()
    result = outbox_drain(batch_size=20)
    cpu = time.process_time() - cpu
    if result.claimed:
        each = cpu / result.claimed * 1000
        print(f"  outbox worker: {result.sent} emails, {each:.2f} ms cpu each", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--pyinstrument", action="store_true", help="print a call-stack profile")
    parser.add_argument("--queries", action="store_true", help="print the SQL of one run")
    args = parser.parse_args()
    env = environment()
    data = seed(env)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    from bench.run import stock_bench_variant

    stock_bench_variant(data["variant_id"])
    call = Caller(get_wsgi_application(), data["publishable_key"])
    outbox_drain_quietly()
    _, login = call(
        "POST",
        "/auth/login",
        {"email": data["user_email"], "password": data["user_password"]},
        expect=200,
    )
    _, c = call("POST", "/carts", expect=201)
    call(
        "POST",
        f"/carts/{c['id']}/items",
        {"variant_id": data["variant_id"], "quantity": 1},
        cart_token=c["token"],
        expect=201,
    )
    data.update(token=login["token"], cart_id=c["id"], cart_token=c["token"])
    chosen = [s for s in args.only.split(",") if s] or None
    for name, (run, per_call) in scenarios(call, data).items():
        if chosen and name not in chosen:
            continue
        count = args.requests if name != "checkout" else max(1, args.requests // 5)
        for _ in range(min(20, count)):
            run()  # warm up
        if args.queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                run()
            print(f"{name}: {len(captured)} queries")
            for q in captured.captured_queries:
                print(f"  {q['time']}  {q['sql'][:220]}")
        profiler = None
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
        requests = count * per_call
        call.steps.clear()
        started = time.perf_counter()
        cpu = time.process_time()
        database = database_cpu()
        for _ in range(count):
            run()
        wall = (time.perf_counter() - started) / requests * 1000
        cpu = (time.process_time() - cpu) / requests * 1000
        database = (database_cpu() - database) / requests * 1000
        if profiler:
            profiler.stop()
        print(
            f"{name:10s} {wall:7.2f} ms/request wall {cpu:7.2f} ms cpu"
            f" {database:6.2f} ms database cpu  ({count} x)",
            flush=True,
        )
        for step, times in call.steps.items():
            print(f"  {step:8s} {sum(times) / len(times) * 1000:7.2f} ms cpu", flush=True)
        if name == "checkout":
            outbox_worker_cost()
        if profiler:
            print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
