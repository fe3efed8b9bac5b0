"""Reference data: list types and listing rules (data, not code), seeded by a migration and by the demo.

Periods are [check] readings from ../shared/DOMAIN.md: SAMR serious-dishonesty list 3 years with early
removal after 1 year; CNIPA dishonesty list 1 year with repair after 6 months. A policy change is a new
ListingRule version, never an edit of a row a listing already points to.
"""

from __future__ import annotations

import datetime as dt

ALL_MEASURES = ["fiscal_subsidy", "fiscal_project", "government_procurement", "public_bidding",
                "public_resource_trading"]

LIST_TYPES = [
    {"code": "ip_serious_dishonesty", "name": "知识产权领域严重违法失信名单", "issuing_authority": "北京市知识产权局",
     "basis": "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）；"
              "《关于强化知识产权保护的行动方案》第5条",
     "duration_months": 36, "earliest_repair_months": 12, "measures": ALL_MEASURES},
    {"code": "cnipa_dishonesty", "name": "知识产权领域失信联合惩戒对象名单", "issuing_authority": "北京市知识产权局",
     "basis": "《国家知识产权局知识产权信用管理规定》（国知发保字〔2022〕8号）[check]",
     "duration_months": 12, "earliest_repair_months": 6,
     "measures": ["fiscal_subsidy", "fiscal_project", "government_procurement", "public_bidding"]},
]

RULES = [
    {"code": "repeat_infringement", "version": 1, "title": "5 年内 2 次以上被认定侵权（行政处罚、行政裁决或判决）",
     "list_type": "ip_serious_dishonesty",
     "fact_kinds": ["administrative_penalty", "adjudication_decision", "court_judgment"], "min_count": 2,
     "years": 5, "wilful_only": False,
     "basis": "《关于强化知识产权保护的行动方案》第5条：对重复侵权实施联合惩戒"},
    {"code": "wilful_punitive", "version": 1, "title": "故意侵权并被判处惩罚性赔偿或从重处罚",
     "list_type": "ip_serious_dishonesty",
     "fact_kinds": ["administrative_penalty", "adjudication_decision", "court_judgment"], "min_count": 1,
     "years": 5, "wilful_only": True,
     "basis": "《关于强化知识产权保护的行动方案》第5条；法释〔2021〕4号（惩罚性赔偿）"},
    {"code": "refused_execution", "version": 1, "title": "拒不履行行政处罚、行政裁决或生效判决",
     "list_type": "cnipa_dishonesty", "fact_kinds": ["refused_execution"], "min_count": 1, "years": 5,
     "wilful_only": False, "basis": "《国家知识产权局知识产权信用管理规定》第6条 [check]"},
    {"code": "repeat_bad_faith", "version": 1, "title": "3 年内 2 次以上恶意投诉、展会违规或违反不侵权承诺",
     "list_type": "cnipa_dishonesty", "fact_kinds": ["malicious_notice", "fair_violation", "commitment_broken"],
     "min_count": 2, "years": 3, "wilful_only": False,
     "basis": "《电子商务法》第42条；《关于强化知识产权保护的行动方案》第5、14条"},
]

EFFECTIVE = dt.date(2020, 1, 1)


def seed(list_type_model, rule_model) -> None:  # noqa: ANN001 - historical models in migrations
    """Create the list types and rules that do not exist yet (never changes an existing row)."""
    types = {}
    for row in LIST_TYPES:
        types[row["code"]], _ = list_type_model.objects.get_or_create(code=row["code"], defaults=row)
    for row in RULES:
        data = dict(row, list_type=types[row["list_type"]], effective_from=EFFECTIVE)
        rule_model.objects.get_or_create(code=row["code"], version=row["version"], defaults=data)
