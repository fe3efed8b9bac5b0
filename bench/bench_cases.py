"""Cases at scale: filing through the service layer and the API, and the officer's queue and overdue query.

Why: the one-stop intake is filed in bulk by agents and platforms, and an officer opens the work queue
many times a day; both must stay fast with a city's worth of cases. Figures, each against a named
baseline measured in the same run:

* filing — ``cases.services.file_complaint`` and ``POST /api/v1/cases`` per second (each filing validates
  rights and evidence, resolves the respondent, triages, numbers, assigns, starts a clock, writes events,
  audit entries and notifications). Baseline "bare insert": ``Case.objects.create`` of the same row alone.
* queue / overdue at ``BENCH_CASES_TOTAL`` cases — first page of ``selectors.queue_for`` (officer of one
  district) and ``selectors.overdue_cases``, median ms. Baseline "Python scan": load every open case's
  (district, channel, due) and filter and sort in Python — what the query would cost without the indexes.

Sizes: ``BENCH_CASES_FILE`` (default 10,000, through the services; the API gets a tenth of it) and
``BENCH_CASES_TOTAL`` (default 100,000). Runs on a throw-away SQLite database (or ``DATABASE_URL``).
Run: ``ZHIBAO_DEBUG=1 python bench/bench_cases.py`` (prints a markdown section).
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
                                               provisional=True) for i in range(N_FILE + N_FILE // 10)]

    started = time.perf_counter()
    for i in range(N_FILE):
        services.file_complaint(actor=xinghe, complainant=complainant, right_ids=[right.pk], title=f"基准投诉 {i}",
                                respondent=respondents[i], deposit_nos=[deposit.deposit_no])
    service_rate = N_FILE / (time.perf_counter() - started)

    client = Client()
    client.force_login(xinghe)
    n_api = max(1, N_FILE // 10)
    started = time.perf_counter()
    for i in range(n_api):
        body = {"complainant_id": complainant.pk, "right_ids": [right.pk], "title": f"API 基准 {i}",
                "respondent_id": respondents[N_FILE + i].pk, "deposit_nos": [deposit.deposit_no]}
        response = client.post("/api/v1/cases", json.dumps(body), content_type="application/json")
        assert response.status_code == 201, response.content
    api_rate = n_api / (time.perf_counter() - started)

    started = time.perf_counter()
    for i in range(n_api):
        Case.objects.create(complainant=complainant, respondent=fangmao, filed_by=xinghe, title=f"裸插入 {i}",
                            status=Status.RECEIVED)
    bare_rate = n_api / (time.perf_counter() - started)

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

    def queue_page() -> None:
        qs = selectors.queue_for(actor=officer)
        list(qs[:50])
        qs.count()

    def overdue() -> None:
        list(selectors.overdue_cases(actor=officer, now=now)[:50])

    def python_scan() -> None:
        rows = [r for r in Case.objects.exclude(status__in=("draft", "rejected", "closed")).values_list(
            "pk", "district_id", "channel", "due_at") if r[1] == officer.district_id and r[2] in (
            "enforcement", "adjudication", "criminal", "court")]
        sorted(rows, key=lambda r: (r[3] is None, r[3]))[:50]

    queue_ms, overdue_ms, scan_ms = _median_ms(queue_page), _median_ms(overdue), _median_ms(python_scan, 5)
    engine = django.db.connection.vendor
    print("## Cases: filing, officer queue and overdue query\n")
    print(f"Database: {engine}; {total:,} cases in the table when the queries were timed.\n")
    print("| measurement | result | baseline | baseline result |")
    print("|---|---|---|---|")
    print(f"| file_complaint (service) | {service_rate:,.0f}/s over {N_FILE:,} | bare insert | {bare_rate:,.0f}/s |")
    print(f"| POST /api/v1/cases | {api_rate:,.0f}/s over {n_api:,} | bare insert | {bare_rate:,.0f}/s |")
    print(f"| officer queue, first page + count | {queue_ms:.1f} ms | Python scan | {scan_ms:.1f} ms |")
    print(f"| overdue query, first page | {overdue_ms:.1f} ms | Python scan | {scan_ms:.1f} ms |")
    print(f"\nTarget: queue and overdue < 50 ms — {'met' if max(queue_ms, overdue_ms) < 50 else 'NOT met'}."
          " A filing costs far more than a bare insert by design: validation, triage, numbering under a row lock,"
          " assignment by workload, the clock, events, audit and notifications in one transaction.")


if __name__ == "__main__":
    main()
