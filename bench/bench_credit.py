"""Benchmark the agency credit check against the same server's trivial /healthz; prints a markdown section.

Usage: python bench/bench_credit.py [--orgs 1000000] [--listings 50000] [--clients 50] [--requests 5000]

What runs: a fresh SQLite database (or ``DATABASE_URL``) with ``--orgs`` organisations and ``--listings``
published listings, served by gunicorn (the production server; ``--workers`` sync workers) on loopback.
``--clients`` threads with keep-alive connections send ``GET /api/v1/credit/check`` with a ``credit:check``
token (random codes: listed, clean and unknown), then ``/healthz`` with the same concurrency; then batches of
1,000 codes one at a time. Every check writes its log row, as in production. Targets (issue #7): check p99 ≤ 20 ms
at 50 clients, batch of 1,000 ≤ 300 ms. The client runs on the same cores as the server, so both rows carry
the same client overhead — compare them with each other.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({"ZHIBAO_DEBUG": "0", "ZHIBAO_SECRET_KEY": secrets.token_hex(32), "ZHIBAO_DATA_DIR": str(tmp),
                "ZHIBAO_CREDIT_CHECK_RATE": str(10**9), "ZHIBAO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SETTINGS_MODULE": "zhibao.settings", "ZHIBAO_DB_CONN_MAX_AGE": "600"})
    return env


POPULATE = r'''
import datetime as dt, json, sys, time
import django
django.setup()
from django.db import connection, transaction
from django.utils import timezone
from zhibao.law import uscc as uscc_lib
from zhibao.accounts import services as accounts
from zhibao.accounts.roles import Role
from zhibao.credit.models import Listing, ListingDecision, ListType
from zhibao.credit import reference
from zhibao.credit.models import ListingRule

n_orgs, n_listings = int(sys.argv[1]), int(sys.argv[2])
reference.seed(ListType, ListingRule)
now = timezone.now()
codes = []
t = time.perf_counter()
with transaction.atomic(), connection.cursor() as cur:
    batch = []
    for i in range(n_orgs):
        code = uscc_lib.make_uscc("91110105" + f"B{i:08d}")
        codes.append(code)
        batch.append((f"基准企业{i}", "company", "general", code, "[]", "", "", "", "", "", "", "", False, True,
                      now, now, 1))
        if len(batch) == 20000:
            cur.executemany(
                "INSERT INTO orgs_organisation (name, kind, sector, uscc, uscc_warnings, entity_type, country, "
                "foreign_registration_no, address, legal_representative, shop_url, industry, provisional, is_active, "
                "created_at, updated_at, version) VALUES (%s)" % ",".join(["%s"] * 17), batch)
            batch = []
    if batch:
        cur.executemany(
            "INSERT INTO orgs_organisation (name, kind, sector, uscc, uscc_warnings, entity_type, country, "
            "foreign_registration_no, address, legal_representative, shop_url, industry, provisional, is_active, "
            "created_at, updated_at, version) VALUES (%s)" % ",".join(["%s"] * 17), batch)
from zhibao.orgs.models import Organisation
ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:n_listings])
ltype = ListType.objects.get(code="ip_serious_dishonesty")
today = timezone.localdate()
with transaction.atomic():
    Listing.objects.bulk_create([Listing(organisation_id=pk, list_type=ltype, basis="基准：重复侵权", status="published",
                                         start_on=today - dt.timedelta(days=30), end_on=today + dt.timedelta(days=1000),
                                         earliest_repair_on=today + dt.timedelta(days=335)) for pk in ids],
                                batch_size=5000)
    listing_ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True))
    ListingDecision.objects.bulk_create([ListingDecision(listing_id=pk, decision_no=f"基准决〔2026〕{pk}号",
                                                         outcome="list", reasons="基准", start_on=today,
                                                         end_on=today + dt.timedelta(days=1000)) for pk in listing_ids],
                                        batch_size=5000)
user = accounts.create_user(actor=None, username="bench_agency", password="x", role=Role.AGENCY,
                            check_password=False)
_, raw = accounts.issue_token(actor=user, name="bench", scopes=["credit:check"])
print(json.dumps({"token": raw, "listed": codes[:n_listings][:2000], "clean": codes[n_listings:][:2000],
                  "seconds": time.perf_counter() - t}))
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not start")


def _load(port: int, paths: list[str], headers: dict[str, str], clients: int, total: int) -> tuple[list[float], int]:
    per = total // clients
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def run(seed: int) -> None:
        rnd = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(per):
            t = time.perf_counter()
            conn.request("GET", rnd.choice(paths), headers=headers)
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return samples, errors[0]


def _stats(samples: list[float]) -> str:
    s = sorted(samples)
    p = lambda q: s[min(int(len(s) * q), len(s) - 1)] * 1e3  # noqa: E731
    return f"{statistics.mean(s) * 1e3:.1f} | {p(0.5):.1f} | {p(0.99):.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=1_000_000)
    ap.add_argument("--listings", type=int, default=50_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batches", type=int, default=20)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        env = _env(tmp)
        subprocess.run([str(BIN / "zhibao"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        out = subprocess.run([sys.executable, "-c", POPULATE, str(a.orgs), str(a.listings)], env=env, check=True,
                             cwd=ROOT, capture_output=True, text=True).stdout
        data = json.loads(out.strip().splitlines()[-1])
        port = _free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "zhibao.wsgi", "-w", str(a.workers), "-b",
                                   f"127.0.0.1:{port}", "--log-level", "warning"], env=env, cwd=ROOT,
                                  start_new_session=True)
        try:
            _wait(port)
            headers = {"Authorization": f"Bearer {data['token']}"}
            unknown = [f"91110105C{i:08d}" for i in range(500)]
            from zhibao.law import uscc as uscc_lib  # noqa: PLC0415 - after sys.path is set by the caller

            unknown = [uscc_lib.make_uscc(c[:17]) for c in unknown]
            codes = data["listed"][:500] + data["clean"][:500] + unknown
            paths = [f"/api/v1/credit/check?uscc={c}&measure=government_procurement" for c in codes]
            _load(port, paths[:50], headers, a.clients, a.clients * 4)  # warm-up: connections, caches
            check, check_err = _load(port, paths, headers, a.clients, a.requests)
            health, health_err = _load(port, ["/healthz"], {}, a.clients, a.requests)
            batch_samples = []
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for i in range(a.batches):
                body = json.dumps({"uscc": random.Random(i).sample(codes, 1000), "measure": "procurement"})
                t = time.perf_counter()
                conn.request("POST", "/api/v1/credit/check/batch", body=body,
                             headers={**headers, "Content-Type": "application/json"})
                r = conn.getresponse()
                r.read()
                batch_samples.append(time.perf_counter() - t)
                assert r.status == 200, r.status
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print("## Credit check (`credit/check`) on gunicorn\n")
    print(f"{a.orgs:,} organisations, {a.listings:,} published listings, SQLite (WAL) unless `DATABASE_URL`; "
          f"gunicorn {a.workers} sync workers; {a.clients} concurrent keep-alive clients on loopback; every check "
          f"writes its log row. Populated in {data['seconds']:.0f} s. Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}Z.\n")
    print("| request | n | errors | mean ms | p50 ms | p99 ms | target |")
    print("|---|---|---|---|---|---|---|")
    s = sorted(check)
    p99 = s[int(len(s) * 0.99)] * 1e3
    print(f"| `GET /api/v1/credit/check` | {len(check)} | {check_err} | {_stats(check)} | p99 ≤ 20 ms "
          f"{'✓' if p99 <= 20 else '✗'} |")
    print(f"| `GET /healthz` (baseline, same server and run) | {len(health)} | {health_err} | {_stats(health)} | — |")
    b = sorted(batch_samples)
    print(f"| `POST /api/v1/credit/check/batch` (1,000 codes, one client) | {len(b)} | 0 | {_stats(b)} | ≤ 300 ms "
          f"{'✓' if b[int(len(b) * 0.99)] * 1e3 <= 300 else '✗'} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
