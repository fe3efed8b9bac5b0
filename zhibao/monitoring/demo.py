"""Demo data for monitoring: 星河's watch list, the GI association's watch, and a screened announcement.

The announcement (``data/demo_announcement.csv``) plants look-alikes of 星河 (形近 星禾, 同音 猩河, 加通用词
星河生活, 拼音 XINGHE), the same name in an unrelated class (星河 in class 30), unrelated marks, and an
unauthorised 平谷大桃, so the demo right holder has alerts to triage right after ``zhibao demo load``.
"""

from __future__ import annotations

from pathlib import Path

from zhibao.monitoring import importing, services
from zhibao.monitoring.models import Screening, WatchList
from zhibao.orgs.models import Organisation
from zhibao.rights.models import Right

ANNOUNCEMENT = Path(__file__).parent / "data" / "demo_announcement.csv"


def load(org_map: dict[str, Organisation]) -> None:
    xinghe, peach = org_map["xinghe"], org_map["peach"]
    if WatchList.objects.filter(owner=xinghe).exists():
        return
    marks = Right.objects.filter(owner=xinghe, right_type__in=["trademark", "copyright"]).values_list("pk", flat=True)
    services.create_watch_list(actor=None, owner=xinghe, name="星河品牌监测", right_ids=list(marks))
    gi = Right.objects.filter(owner=peach, right_type="gi").values_list("pk", flat=True)
    if gi:
        services.create_watch_list(actor=None, owner=peach, name="平谷大桃地理标志保护", right_ids=list(gi),
                                   threshold="0.90")
    if not Screening.objects.exists():
        created = importing.import_announcement(actor=None, filename=ANNOUNCEMENT.name,
                                                content=ANNOUNCEMENT.read_bytes())
        targets = services.watch_targets()
        for item in created:  # screen now, so the demo shows alerts without a running worker; no inbox noise
            services.screen(screening_id=item.pk, targets=targets, notify_owner=False)
