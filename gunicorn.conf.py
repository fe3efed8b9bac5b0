"""gunicorn's settings for ZhiBao, read from the working directory by ``gunicorn zhibao.wsgi``.

Workers (sync): ``ZHIBAO_WEB_WORKERS`` when set; otherwise one per core with SQLite and two per core with
PostgreSQL. With SQLite the database works inside the web process, so a request is CPU from start to end and
more processes than cores only take turns at the cores and at SQLite's single write lock (measured: 3 or 5
workers on 2 cores answered the agency credit check with longer tails than 2). With PostgreSQL a worker also
waits — on the network and on the commit's flush to disk — and a second worker per core uses that time
(measured on 2 cores: 4 workers against 2 took the check's saturation from 347 to 420 per second and its p99 at
240 per second from 27 to 16 ms; docs/adr/0004-credit-check-latency.md).
"""

import os


def _workers() -> int:
    configured = os.environ.get("ZHIBAO_WEB_WORKERS", "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise SystemExit(f"ZHIBAO_WEB_WORKERS 必须是不小于 1 的整数（must be a whole number ≥ 1），而不是 {configured!r}")
        return int(configured)
    cores = os.cpu_count() or 1
    return cores * 2 if os.environ.get("DATABASE_URL", "").startswith("postgres") else cores


wsgi_app = "zhibao.wsgi"
workers = _workers()
