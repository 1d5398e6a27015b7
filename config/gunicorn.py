"""gunicorn settings for the production profile (`make prod`, bench/).

Sync workers, one per core by default: with PostgreSQL and Redis on the same machine a request
is CPU almost all the way (ours or PostgreSQL's), and on 2 cores 2 workers gave more throughput
and shorter tails than 3, 4 or 5 (docs/performance.md). With the database on another machine a
worker waits longer per request: raise WEB_CONCURRENCY (2 x cores + 1 is the usual start).
Logs go to stdout for the platform to collect.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8100')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
preload_app = True
# The workers' heartbeat file is touched on every request; on a disk-backed /tmp (containers,
# this machine) that is a filesystem write per request (gunicorn's FAQ), so it lives in memory.
# gunicorn makes the file with mkstemp (unique name, mode 0600), so a shared directory is safe.
_SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = _SHARED_MEMORY if os.path.isdir(_SHARED_MEMORY) else None


def when_ready(server):
    """The app is loaded (preload_app) and no worker forked yet: load what the first request
    would, then leave it out of the workers' garbage collections (config/warmup.py)."""
    from config.warmup import freeze, warm_up

    warm_up()
    freeze()
