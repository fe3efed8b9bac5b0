"""A complaint started from a monitoring alert (``/cases/new/?from_alert=<id>``): intake form initial values.

The draft comes from ``zhibao.core.optional_apps.monitoring_alert_draft`` (None without the monitoring app: then
the parameter is ignored); the mapping from it (right, respondent, place, deposit) to intake fields belongs to cases.
"""

from __future__ import annotations

from typing import Any

PLACE_OF_SOURCE = {"listing": "online", "crawl": "online", "exhibit": "fair"}
ACT_OF_RIGHT = {"copyright": "copyright_infringement"}  # a look-alike mark is not 假冒 (identical): owner picks


def intake_initial(draft: dict[str, Any]) -> dict[str, Any]:
    """IntakeForm initial values: complainant and right, respondent, place, facts citing the deposit."""
    reference = str(draft.get("reference") or "")
    is_url = reference.startswith(("http://", "https://"))
    facts = f"{draft['comparison']}"
    if draft.get("deposit_no"):
        facts += f"\n证据：存证编号 {draft['deposit_no']}（监测预警 #{draft['alert_id']} 确认时存证）"
    return {
        "complainant": draft["notifier_id"], "rights": [draft["right_id"]],
        "title": f"{draft['source_label']}「{draft['name']}」涉嫌侵犯{draft['right_type_label']}「{draft['right_title']}」"[:200],
        "respondent_uscc": draft.get("respondent_uscc") or "", "respondent_name": draft.get("respondent") or "",
        "respondent_shop_url": reference if is_url and draft.get("source") == "listing" else "",
        "act": ACT_OF_RIGHT.get(draft.get("right_type") or "", ""),
        "place_type": PLACE_OF_SOURCE.get(draft.get("source") or "", "online"), "place": reference[:300],
        "facts": facts, "deposit_nos": draft.get("deposit_no") or "",
    }
