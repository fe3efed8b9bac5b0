"""Demo data: 会展公司's fair with 星河科技 and 仿冒商贸 as exhibitors (neither has pledged yet)."""

from __future__ import annotations

import datetime as dt

from zhibao.fairs import services
from zhibao.fairs.models import Fair
from zhibao.orgs.models import Organisation


def load(org_map: dict[str, Organisation]) -> None:
    if Fair.objects.filter(organiser=org_map["fair"]).exists():
        return
    fair = services.register_fair(actor=None, organiser=org_map["fair"], name="2026 北京国际消费电子博览会",
                                  venue="中国国际展览中心（朝阳馆）", district_code="110105",
                                  starts_on=dt.date(2026, 11, 24), ends_on=dt.date(2026, 11, 28))
    services.add_exhibitor(actor=None, fair=fair, organisation=org_map["xinghe"], booth="B-201")
    services.add_exhibitor(actor=None, fair=fair, organisation=org_map["fangmao"], booth="A-101")
