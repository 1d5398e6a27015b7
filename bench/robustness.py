#!/usr/bin/env python
"""Robustness under failing parts, against the production profile. Prints what happened.

    .venv/bin/python bench/robustness.py postgres   # restart PostgreSQL during read load
    .venv/bin/python bench/robustness.py redis      # stop Redis during read load, then restore
    .venv/bin/python bench/robustness.py soak [--minutes 10]   # checkout load, RSS start/end

It restarts the machine's real services (commands from the env skill's machine page), so run
it on a machine of its own, not while other test suites use the same servers.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import (
    ROOT,
    Client,
    prepare,
    start_server,
    stop_server,
)

PG_RESTART = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main restart"
REDIS_START = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
    "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
REQUEST_TIMEOUT_S = 30

# The soak's client: the whole guest checkout from Python threads (bench/run.py drives the same
# journey with wrk; here each request's status is what matters, not its latency).
ADDRESS = {
    "first_name": "Bench",
    "last_name": "Shopper",
    "address1": "350 Fifth Avenue",
    "city": "New York",
    "postal_code": "10118",
    "state_abbr": "NY",
    "country_iso": "US",
}


def checkout_step(seed):
    def step(client, state):
        calls = []
        status, cart, latency = client.call("POST", "/carts")
        calls.append((status, latency))
        if status != 201:
            return calls
        cid, token = cart["id"], cart["token"]
        for method, path, body in (
            (
                "POST",
                f"/carts/{cid}/items",
                {"variant_id": seed["bench_variant_id"], "quantity": 2},
            ),
            (
                "PATCH",
                f"/carts/{cid}",
                {"email": "bench@example.com", "shipping_address": ADDRESS, "use_shipping": True},
            ),
            (
                "POST",
                f"/carts/{cid}/payments",
                {"payment_method_id": seed["check_payment_method_id"]},
            ),
            ("POST", f"/carts/{cid}/complete", None),
        ):
            status, _body, latency = client.call(method, path, body, cart_token=token)
            calls.append((status, latency))
            if status >= 400:
                break
        return calls

    return step


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/shop_bench",
        "REDIS_URL": "redis://127.0.0.1:6379/2",
        # limits stay on (their counters live in Redis) but high enough never to answer 429
        "RATE_LIMITS_ENABLED": "1",
        "RATE_LIMIT_PER_KEY": "100000000",
        "GUNICORN_TIMEOUT": str(REQUEST_TIMEOUT_S),
    }


def _manage_env(env):
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    for name in ("SECRET_KEY", "JWT_SIGNING_KEY"):
        env[name] = (ROOT / "var" / name.lower()).read_text().strip()
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("EMAIL_URL", f"filemail://{ROOT / 'var' / 'mail'}")
    return env


def read_load(port, key, seconds, log):
    """8 threads reading products; every response logged as (t, status, latency_ms)."""
    stop = time.time() + seconds

    def worker():
        client = Client(port, key)
        while time.time() < stop:
            started = time.time()
            try:
                status, _body, latency = client.call("GET", "/products")
            except Exception:
                status, latency = 599, (time.time() - started) * 1000
                client = Client(port, key)
            log.append((started, status, latency))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    return threads


def outage(kind: str) -> int:
    env = _env()
    process, seed = start_server(8160, env)
    log: list[tuple[float, int, float]] = []
    try:
        threads = read_load(8160, seed["publishable_key"], 40, log)
        time.sleep(10)
        cut = time.time()
        if kind == "postgres":
            subprocess.run(PG_RESTART, shell=True, check=True)
            restored = time.time()
        else:
            subprocess.run("redis-cli -p 6379 shutdown nosave", shell=True, check=False)
            time.sleep(10)
            subprocess.run(REDIS_START, shell=True, check=True)
            restored = time.time()
        for thread in threads:
            thread.join()
    finally:
        stop_server(process)
    before = [r for r in log if r[0] < cut]
    during = [r for r in log if cut <= r[0] < restored + 2]
    after = [r for r in log if r[0] >= restored + 2]
    slowest = max((r[2] for r in log), default=0)

    def summary(rows):
        errors = sum(1 for r in rows if r[1] >= 500)
        other = sum(1 for r in rows if 400 <= r[1] < 500)
        return f"{len(rows)} requests, {errors} errors (5xx), {other} other non-2xx"

    print(f"{kind} outage during read load (8 clients, GET /products)")
    print(f"  before:              {summary(before)}")
    print(f"  during the outage:   {summary(during)} ({restored - cut:.1f} s)")
    print(f"  after recovery:      {summary(after)}")
    print(f"  slowest request:     {slowest:.0f} ms (gunicorn timeout {REQUEST_TIMEOUT_S} s)")
    recovered = after and all(r[1] == 200 for r in after[-50:])
    hung = slowest >= REQUEST_TIMEOUT_S * 1000
    if kind == "redis":
        served = during and sum(1 for r in during if r[1] == 200) / len(during) > 0.95
        print(f"  kept serving while Redis was down: {'yes' if served else 'NO'}")
        ok = served and recovered and not hung
    else:
        ok = recovered and not hung
    print(
        f"  recovered on its own: {'yes' if recovered else 'NO'}; hung requests: "
        f"{'yes' if hung else 'none'}"
    )
    return 0 if ok else 1


def _rss_kb(pids) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def _worker_pids(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def soak(minutes: float) -> int:
    env = _env()
    env["RATE_LIMITS_ENABLED"] = "0"
    process, seed = start_server(8170, env)
    try:
        data = prepare(8170, seed, _manage_env(env))
        master = int(
            subprocess.run(
                ["pgrep", "-f", "-o", "gunicorn -c config/gunicorn.py"],
                capture_output=True,
                text=True,
            ).stdout.split()[0]
        )
        step = checkout_step(data)
        stop = time.time() + minutes * 60
        counts = {"requests": 0, "errors": 0}
        lock = threading.Lock()
        samples = []

        def worker():
            client, state = Client(8170, data["publishable_key"]), {}
            while time.time() < stop:
                calls = step(client, state)
                with lock:
                    counts["requests"] += len(calls)
                    counts["errors"] += sum(1 for status, _ in calls if status >= 400)

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        while time.time() < stop:
            samples.append((time.time(), _rss_kb(_worker_pids(master))))
            time.sleep(min(30, max(1, stop - time.time())))
        for thread in threads:
            thread.join()
        samples.append((time.time(), _rss_kb(_worker_pids(master))))
    finally:
        stop_server(process)
    start_rss, end_rss = samples[1][1] if len(samples) > 1 else samples[0][1], samples[-1][1]
    print(f"soak: {minutes:g} min of guest checkouts, 8 clients")
    print(f"  requests {counts['requests']}, errors {counts['errors']}")
    print(
        f"  worker RSS after warm-up {start_rss / 1024:.1f} MiB, "
        f"at the end {end_rss / 1024:.1f} MiB"
    )
    print("  samples (MiB): " + json.dumps([round(s[1] / 1024, 1) for s in samples]))
    flat = end_rss <= start_rss * 1.15
    return 0 if counts["errors"] == 0 and flat else 1


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("check", choices=["postgres", "redis", "soak"])
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    if args.check == "soak":
        return soak(args.minutes)
    return outage(args.check)


if __name__ == "__main__":
    sys.exit(main())
