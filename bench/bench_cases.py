"""Cases at scale: filing through the service layer and the API, and the officer's queue and overdue query.

Why: the one-stop intake is filed in bulk by agents and platforms, and an officer opens the work queue
many times a day; both must stay fast with a city's worth of cases. Figures, each against a named
baseline measured in the same run:

* filing — ``cases.services.file_complaint`` and ``POST /api/v1/cases`` per second (each filing validates
  rights and evidence, resolves the respondent, triages, numbers, assigns, starts a clock, writes events,
  audit entries and notifications). Baseline "bare insert": ``Case.objects.create`` of the same row alone.
  Target (issue #4): 10,000 filings through the services and the API.
* queue / overdue at ``BENCH_CASES_TOTAL`` cases — first page + count of ``selectors.queue_for`` (officer of one
  district) and first page of ``selectors.overdue_cases``, median ms. Target (issue #4): < 50 ms each.
  Baselines: "previous OR query" (``district = D OR assignee = me``, the query before the fix) and
  "Python scan" (load every open case and filter and sort in Python: the cost without indexes).
  Also timed: the same officer once 20 cases of other districts are assigned to them (the rarer path).

Sizes (defaults are the issue's): ``BENCH_CASES_FILE`` = 10,000 filings in all, of which ``BENCH_CASES_API``
(default 2,000) through the API — all 10,000 through each would take over 15 minutes per database at the
rates measured — and ``BENCH_CASES_TOTAL`` = 100,000 cases when the queries are timed. Runs on a throw-away
SQLite database, or on ``DATABASE_URL`` (PostgreSQL: ``VACUUM ANALYZE`` after the bulk load, as autovacuum
would; without it the queue count reads the heap instead of the index).
Run: ``python bench/bench_cases.py`` (prints a markdown section).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="zhibao-bench-cases-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'bench.sqlite3'}")
os.environ.setdefault("ZHIBAO_LEDGER_URL", str(TMP / "ledger.sqlite3"))
os.environ.setdefault("ZHIBAO_KEYS_DIR", str(TMP / "keys"))
os.environ.setdefault("ZHIBAO_MEDIA_ROOT", str(TMP / "media"))
os.environ.setdefault("ZHIBAO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhibao.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

N_FILE = int(os.environ.get("BENCH_CASES_FILE", "10000"))
N_API = min(N_FILE, int(os.environ.get("BENCH_CASES_API", "2000")))
N_SERVICE = N_FILE - N_API
N_TOTAL = int(os.environ.get("BENCH_CASES_TOTAL", "100000"))
DISTRICTS = ["110101", "110102", "110105", "110106", "110108", "110112", "110115"]


def _median_ms(fn, repeat: int = 15) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    from zhibao.accounts.models import User
    from zhibao.cases import selectors, services
    from zhibao.cases.models import Case, Status
    from zhibao.core import demo
    from zhibao.evidence import services as evidence
    from zhibao.orgs.models import Organisation
    from zhibao.rights.models import Right

    demo.load()
    xinghe, officer = User.objects.get(username="xinghe"), User.objects.get(username="wangzhifa")
    complainant = Organisation.objects.get(name="北京星河科技有限公司")
    fangmao = Organisation.objects.get(name="北京仿冒商贸有限公司")
    right = Right.objects.get(number="2022SR0123456")
    deposit = evidence.make_deposit(actor=xinghe, title="bench", files=[], statement="bench").deposit
    respondents = [Organisation.objects.create(name=f"基准被投诉人{i}", district_id=DISTRICTS[i % len(DISTRICTS)],
                                               provisional=True) for i in range(N_FILE)]

    bench_started = time.perf_counter()
    started = time.perf_counter()
    for i in range(N_SERVICE):
        services.file_complaint(actor=xinghe, complainant=complainant, right_ids=[right.pk], title=f"基准投诉 {i}",
                                respondent=respondents[i], deposit_nos=[deposit.deposit_no])
    service_rate = N_SERVICE / max(1e-9, time.perf_counter() - started)

    client = Client()
    client.force_login(xinghe)
    n_api = N_API
    started = time.perf_counter()
    for i in range(n_api):
        body = {"complainant_id": complainant.pk, "right_ids": [right.pk], "title": f"API 基准 {i}",
                "respondent_id": respondents[N_SERVICE + i].pk, "deposit_nos": [deposit.deposit_no]}
        response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
    api_rate = n_api / max(1e-9, time.perf_counter() - started)
    filed = Case.objects.exclude(number=None).count()

    n_bare = 1000
    started = time.perf_counter()
    for i in range(n_bare):
        Case.objects.create(complainant=complainant, respondent=fangmao, filed_by=xinghe, title=f"裸插入 {i}",
                            status=Status.RECEIVED)
    bare_rate = n_bare / (time.perf_counter() - started)

    # grow to N_TOTAL with realistic spread: states, channels, districts, deadlines around now
    now = timezone.now()
    states = [Status.RECEIVED, Status.ACCEPTED, Status.INVESTIGATING, Status.DECIDED, Status.CLOSED, Status.CLOSED]
    channels = ["enforcement", "enforcement", "adjudication", "mediation", "criminal", "court"]
    batch, missing = [], N_TOTAL - Case.objects.count()
    for i in range(max(0, missing)):
        batch.append(Case(
            number=f"ZB-2030-{i:06d}", complainant=complainant, respondent=fangmao, filed_by=xinghe,
            title=f"存量案件 {i}", status=states[i % len(states)], channel=channels[i % len(channels)],
            district_id=DISTRICTS[i % len(DISTRICTS)], due_at=now + dt.timedelta(hours=(i % 2000) - 400),
            due_rule="enforcement_decision", filed_at=now - dt.timedelta(minutes=i),
            is_open=states[i % len(states)] != Status.CLOSED))
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    total = Case.objects.count()
    if django.db.connection.vendor == "postgresql":
        # what autovacuum does after a bulk insert: statistics, and the visibility map for index-only counts
        with django.db.connection.cursor() as cursor:  # autocommit: VACUUM may not run in a transaction
            cursor.execute("VACUUM ANALYZE")

    def queue_page() -> None:
        qs = selectors.queue_for(actor=officer)
        list(qs[:50])
        qs.count()

    def overdue() -> None:
        list(selectors.overdue_cases(actor=officer, now=now)[:50])

    def previous_or_query() -> None:
        from django.db.models import Q

        qs = Case.objects.select_related("complainant", "respondent", "district", "assignee", "triage_rule").filter(
            is_open=True, channel__in=("enforcement", "adjudication", "criminal", "court")).filter(
            Q(district_id=officer.district_id) | Q(assignee=officer)).order_by("due_at", "id")
        list(qs[:50])
        qs.count()

    def python_scan() -> None:
        rows = [r for r in Case.objects.exclude(status__in=("draft", "rejected", "closed")).values_list(
            "pk", "district_id", "channel", "due_at") if r[1] == officer.district_id and r[2] in (
            "enforcement", "adjudication", "criminal", "court")]
        sorted(rows, key=lambda r: (r[3] is None, r[3]))[:50]

    queue_ms, overdue_ms = _median_ms(queue_page), _median_ms(overdue)
    or_ms, scan_ms = _median_ms(previous_or_query), _median_ms(python_scan, 5)
    elsewhere = list(Case.objects.filter(is_open=True, channel="enforcement").exclude(
        district_id=officer.district_id).values_list("pk", flat=True)[:20])
    Case.objects.filter(pk__in=elsewhere).update(assignee=officer)
    queue_else_ms, overdue_else_ms = _median_ms(queue_page), _median_ms(overdue)
    wall = time.perf_counter() - bench_started

    def verdict(ms: float) -> str:
        return "met" if ms < 50 else "NOT met"

    engine = django.db.connection.vendor
    print(f"## Cases ({engine}): filing, officer queue and overdue query\n")
    print(f"Database: {engine}; {filed:,} filings, then {total:,} cases in the table when the queries were timed;"
          f" wall time {wall / 60:.1f} min.\n")
    print("| measurement | result | target | baseline | baseline result |")
    print("|---|---|---|---|---|")
    print(f"| file_complaint (service) | {service_rate:,.0f}/s over {N_SERVICE:,} | — | bare insert | {bare_rate:,.0f}/s |")
    print(f"| POST /api/v1/cases | {api_rate:,.0f}/s over {n_api:,} | — | bare insert | {bare_rate:,.0f}/s |")
    print(f"| filings in all | {filed:,} | 10,000: {'met' if filed >= 10000 else 'NOT met'} | — | — |")
    print(f"| officer queue, first page + count | {queue_ms:.1f} ms | < 50 ms: {verdict(queue_ms)} |"
          f" previous OR query / Python scan | {or_ms:.1f} ms / {scan_ms:.1f} ms |")
    print(f"| overdue query, first page | {overdue_ms:.1f} ms | < 50 ms: {verdict(overdue_ms)} | Python scan |"
          f" {scan_ms:.1f} ms |")
    print(f"| queue, officer with 20 cases assigned in other districts | {queue_else_ms:.1f} ms |"
          f" < 50 ms: {verdict(queue_else_ms)} | previous OR query | {or_ms:.1f} ms |")
    print(f"| overdue, same officer | {overdue_else_ms:.1f} ms | < 50 ms: {verdict(overdue_else_ms)} | Python scan |"
          f" {scan_ms:.1f} ms |")
    print("\nA filing costs far more than a bare insert by design: validation, triage, numbering under a row lock,"
          " assignment by workload, the clock, events, audit and notifications in one transaction.")


if __name__ == "__main__":
    main()
