#!/usr/bin/env python
"""Benchmark of the production profile on loopback. Prints numbers; it is not a test.

    .venv/bin/python bench/run.py [--duration 10] [--concurrency 16] [--write-docs]

Starts scripts/run-prod (gunicorn + PostgreSQL + Redis) on a spare port with rate limits off,
then measures, per scenario, requests per second, p50/p95/p99 latency and errors:
single-request scenarios with wrk (C, so the load generator leaves the server its CPU),
multi-step ones (add to cart, refresh, the whole guest checkout) with wrk too, driven by
bench/journeys.lua with one wrk thread per connection (one client's state per thread).
A bare Django view (/healthz, same middleware stack) gives the ceiling every scenario is
compared to. Budgets (docs/performance.md) are checked at the end; exit status 1 if missed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    p50: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    errors: int = 0
    note: str = ""
    restarts: int = 0  # gunicorn workers recycled (max_requests) while the scenario ran

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def finish(self) -> Result:
        if self.latencies_ms:
            ordered = sorted(self.latencies_ms)
            self.p50 = _percentile(ordered, 50)
            self.p95 = _percentile(ordered, 95)
            self.p99 = _percentile(ordered, 99)
        return self


def _percentile(ordered: list[float], pct: float) -> float:
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


# --- the server ------------------------------------------------------------------------------


def start_server(port: int, env: dict[str, str]) -> tuple[subprocess.Popen, dict]:
    log = open(ROOT / "var" / f"bench-server-{port}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "run-prod"), str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    seed = json.loads(process.stdout.readline())
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return process, seed
        except OSError:
            time.sleep(0.5)
    stop_server(process)
    raise SystemExit("the server did not become ready; see var/bench-server-*.log")


def workers_booted(port: int) -> int:
    """How many workers gunicorn has started so far (its log, written by start_server)."""
    log = ROOT / "var" / f"bench-server-{port}.log"
    return log.read_text(errors="replace").count("Booting worker") if log.exists() else 0


def stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


class Client:
    """A keep-alive JSON client; one per thread."""

    def __init__(self, port: int, key: str):
        self.port, self.key = port, key
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, method: str, path: str, body=None, token=None, cart_token=None):
        headers = {"X-Spree-Api-Key": self.key, "Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if cart_token:
            headers["X-Spree-Token"] = cart_token
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request(method, f"/api/v3/store{path}", body=payload, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        elapsed = (time.perf_counter() - started) * 1000
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return response.status, (json.loads(data) if data else None), elapsed


# --- wrk scenarios ---------------------------------------------------------------------------

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""


def wrk(name: str, url: str, args, headers: dict, method="GET", body=None, note="") -> Result:
    lines = [f'wrk.method = "{method}"']
    for key, value in headers.items():
        lines.append(f'wrk.headers["{key}"] = "{value}"')
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
    script = Path(tempfile.mkdtemp()) / "scenario.lua"
    script.write_text("\n".join(lines) + WRK_REPORT)
    return _run_wrk(name, ["-t2", f"-c{args.concurrency}"], script, url, [], args, note=note)


def _run_wrk(name, threads, script, url, script_args, args, note="", env=None) -> Result:
    """Run wrk with `script` (which ends with WRK_REPORT) and read its one-line JSON report."""
    output = subprocess.run(
        ["wrk", *threads, f"-d{args.duration}s", "--timeout", "10s", "-s", str(script), url]
        + (["--", *script_args] if script_args else []),
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    return Result(
        name,
        report["requests"],
        report["seconds"],
        p50=report["p50"],
        p95=report["p95"],
        p99=report["p99"],
        errors=report["errors"],
        note=note,
    )


def wrk_journey(name: str, mode: str, url: str, args, data: dict, note: str = "") -> Result:
    """A multi-step scenario of bench/journeys.lua: one wrk thread per connection."""
    env = dict(os.environ)
    if mode == "refresh":
        tokens = Path(tempfile.mkdtemp()) / "refresh-tokens"
        client = Client(args.port, data["publishable_key"])
        lines = []
        for _ in range(args.concurrency):
            _, body, _ = client.call(
                "POST",
                "/auth/login",
                {"email": data["user_email"], "password": data["user_password"]},
            )
            lines.append(body["refresh_token"])
        tokens.write_text("\n".join(lines) + "\n")
        env["BENCH_REFRESH_TOKENS"] = str(tokens)
    script = Path(tempfile.mkdtemp()) / "journeys.lua"
    script.write_text((ROOT / "bench" / "journeys.lua").read_text() + WRK_REPORT)
    script_args = [mode, data["publishable_key"], data["bench_variant_id"]]
    script_args.append(data["check_payment_method_id"])
    return _run_wrk(
        name,
        [f"-t{args.concurrency}", f"-c{args.concurrency}"],
        script,
        url,
        script_args,
        args,
        note=note,
        env=env,
    )


# --- main ------------------------------------------------------------------------------------


# More units than any run sells (a 10-minute soak sold about 140,000 here): no run runs out.
BENCH_STOCK = 10**9


def stock_bench_variant(variant_id: str) -> None:
    """Inside Django: the write scenarios' variant tracks its stock, as a shop's products do, so
    every completed checkout takes the real path: its stock row locked, read and decremented in
    the completion's transaction. All clients buy this one variant, so they all queue on that
    one row: the benchmark measures a best seller, the worst case for the lock."""
    from catalog.models import StockItem, Variant
    from storeapi.ids import decode_id

    pk = decode_id(variant_id, "variant")
    Variant.objects.filter(pk=pk).update(track_inventory=True, backorderable=False)
    if not StockItem.objects.filter(variant_id=pk).update(count_on_hand=BENCH_STOCK):
        raise SystemExit(f"the bench variant {variant_id} has no stock item")


def prepare(port: int, seed: dict, env: dict) -> dict:
    """The write scenarios' variant stocked, a cart, and an access token."""
    variant = seed["variant_id"]
    script = f"from bench.run import stock_bench_variant; stock_bench_variant({variant!r})"
    subprocess.run([str(PYTHON), "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)
    client = Client(port, seed["publishable_key"])
    _, login, _ = client.call(
        "POST", "/auth/login", {"email": seed["user_email"], "password": seed["user_password"]}
    )
    _, cart, _ = client.call("POST", "/carts")
    client.call(
        "POST",
        f"/carts/{cart['id']}/items",
        {"variant_id": seed["variant_id"], "quantity": 1},
        cart_token=cart["token"],
    )
    return {
        **seed,
        "bench_variant_id": seed["variant_id"],
        "token": login["token"],
        "cart_id": cart["id"],
        "cart_token": cart["token"],
    }


def analyze(database_url: str, *, vacuum: bool = False) -> None:
    """Statistics for the planner, as autovacuum keeps them in production. This machine's
    PostgreSQL runs with autovacuum off, and every write scenario adds thousands of rows: with
    tables never analyzed, plans chosen for empty tables made GET /carts/:id cost PostgreSQL
    4.4 ms of CPU instead of 0.8 after a soak's worth of orders (docs/performance.md)."""
    command = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    subprocess.run(["psql", database_url, "-qc", command], check=True, capture_output=True)


def bench_services() -> dict[str, str]:
    """The benchmark's database and cache (BENCH_DATABASE_URL / BENCH_REDIS_URL), limits off."""
    return {
        "DATABASE_URL": os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/shop_bench"
        ),
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
        "RATE_LIMITS_ENABLED": "0",
        "LOG_FORMAT": "json",
    }


BUDGET_P99_MS = 100.0
SCENARIO_KEYS = ("ceiling", "me", "products", "cart", "add", "checkout", "refresh", "login")
BUDGET_ME_RATIO = 0.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenario keys (me,products,cart,add,checkout,refresh,login)",
    )
    args = parser.parse_args()
    if args.only and args.write_docs:
        parser.error("--write-docs records a whole run; leave out --only")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    (ROOT / "var").mkdir(exist_ok=True)
    env = {**os.environ, **bench_services(), "GUNICORN_ACCESS_LOG": ""}
    speed = python_speed()  # before the server starts, on a quiet machine
    process, seed = start_server(args.port, env)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    for name in ("SECRET_KEY", "JWT_SIGNING_KEY"):
        env[name] = (ROOT / "var" / name.lower()).read_text().strip()
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("EMAIL_URL", f"filemail://{ROOT / 'var' / 'mail'}")
    try:
        data = prepare(args.port, seed, env)
        base = f"http://127.0.0.1:{args.port}"
        key = {"X-Spree-Api-Key": data["publishable_key"], "Content-Type": "application/json"}
        plan = [
            lambda: wrk("bare Django view (ceiling)", f"{base}/healthz", args, {}),
            lambda: wrk(
                "GET /customers/me",
                f"{base}/api/v3/store/customers/me",
                args,
                {**key, "Authorization": f"Bearer {data['token']}"},
            ),
            lambda: wrk("GET /products", f"{base}/api/v3/store/products", args, key),
            lambda: wrk(
                "GET /carts/:id",
                f"{base}/api/v3/store/carts/{data['cart_id']}",
                args,
                {**key, "X-Spree-Token": data["cart_token"]},
            ),
            lambda: wrk_journey("add to cart", "add", base, args, data),
            lambda: wrk_journey("guest checkout (5 requests)", "checkout", base, args, data),
            lambda: wrk_journey("refresh (rotation)", "refresh", base, args, data),
            lambda: wrk(
                "login (argon2-bound)",
                f"{base}/api/v3/store/auth/login",
                args,
                key,
                method="POST",
                body={"email": data["user_email"], "password": data["user_password"]},
                note="reported apart: dominated by argon2 by design",
            ),
        ]
        chosen = [s for s in args.only.split(",") if s]
        analyze(env["DATABASE_URL"], vacuum=True)
        results = []
        for index, run in enumerate(plan):
            if index == 0 or not chosen or any(s in SCENARIO_KEYS[index] for s in chosen):
                if results:
                    analyze(env["DATABASE_URL"])  # what the previous scenario wrote
                booted = workers_booted(args.port)
                result = run()
                result.restarts = workers_booted(args.port) - booted
                results.append(result)
    finally:
        stop_server(process)
    return report(results, args, speed)


def python_speed() -> float:
    """Seconds a plain Python loop of ten million additions takes here (best of three runs of a
    fifth of it, scaled): how fast this machine runs Python, printed with every run so runs
    on different machines can be told apart (about 0.4 s on a current desktop core)."""
    best = float("inf")
    for _ in range(3):
        start, total = time.perf_counter(), 0
        for number in range(2_000_000):
            total += number
        best = min(best, time.perf_counter() - start)
    return best * 5


def report(results: list[Result], args, speed: float) -> int:
    ceiling = results[0].rps or 1
    rows = []
    header = (
        f"{'scenario':32} {'req/s':>8} {'x ceiling':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>7} {'restarts':>8}"
    )
    print(
        f"\n{args.concurrency} concurrent clients, {args.duration}s per scenario, "
        f"{os.cpu_count()} cores; a Python loop of 10 million additions: {speed:.2f} s\n"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        line = (
            f"{r.name:32} {r.rps:8.1f} {r.rps / ceiling:9.2f} {r.p50:8.1f} {r.p95:8.1f} "
            f"{r.p99:8.1f} {r.errors:7d} {r.restarts:8d}"
        )
        print(line)
        rows.append((r, line))
    failures = []
    for r in results:
        if r.errors:
            failures.append(f"{r.name}: {r.errors} errors")
        if not r.name.startswith("login") and r.p99 >= BUDGET_P99_MS:
            failures.append(f"{r.name}: p99 {r.p99:.1f} ms >= {BUDGET_P99_MS:.0f} ms")
    me = next((r for r in results if r.name == "GET /customers/me"), None)
    if me is not None and me.rps / ceiling < BUDGET_ME_RATIO:
        failures.append(f"GET /customers/me at {me.rps / ceiling:.2f} of the ceiling < 0.50")
    print()
    print("budgets: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    if args.write_docs:
        write_docs(results, args, failures, speed)
    return 1 if failures else 0


def write_docs(results, args, failures, speed: float) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else ""
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    ceiling = results[0].rps or 1
    table = [
        f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{args.concurrency} concurrent clients, {args.duration} s per scenario, "
        f"{os.cpu_count()} cores, a Python loop of 10 million additions in {speed:.2f} s "
        "(`.venv/bin/python bench/run.py --write-docs`).",
        "",
        "| scenario | req/s | x ceiling | p50 ms | p95 ms | p99 ms | errors | worker restarts |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        table.append(
            f"| {r.name} | {r.rps:.1f} | {r.rps / ceiling:.2f} | {r.p50:.1f} | {r.p95:.1f} "
            f"| {r.p99:.1f} | {r.errors} | {r.restarts} |"
        )
    table.append("")
    table.append("Budgets: " + ("all met." if not failures else "missed: " + "; ".join(failures)))
    block = start + "\n" + "\n".join(table) + "\n" + end
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text += "\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
