"""The initial 繁简分流 rules (version 1), used by the data migration and by the demo loader.

The demo loader re-creates them when missing, because transactional tests flush the tables a data
migration filled. After seeding, the city administrator edits them (each save a new version).
"""

from __future__ import annotations

SEED = [
    # key, priority, name, conditions, complexity, channel, basis
    ("suspected_crime", 10, "涉嫌犯罪：达到刑事追诉标准", {"suspected_crime": True}, "complex", "criminal",
     "《行政执法机关移送涉嫌犯罪案件的规定》第三条；zhibao.law.thresholds"),
    ("damages_court", 20, "索赔金额超过 500 万元：引导诉讼", {"damages_over": "5000000"}, "complex", "court",
     "平台分流规则：超过法定赔偿上限的索赔由法院审理"),
    ("both_willing", 30, "双方均愿意调解", {"both_willing": True}, "simple", "mediation",
     "《北京市关于强化知识产权保护的行动方案》第六条（多元调解）"),
    ("patent_dispute", 40, "专利侵权纠纷：行政裁决", {"right_types": ["patent"]}, "complex", "adjudication",
     "《专利法》第六十五条；《专利行政执法办法》"),
    ("trademark_counterfeit", 50, "商标假冒且证据清楚：快速执法",
     {"right_types": ["trademark"], "acts": ["counterfeit_mark", "sell_counterfeit"], "has_evidence": True},
     "simple", "enforcement", "《商标法》第六十条；简易程序"),
]


def ensure_seed_rules() -> int:
    """Create the seed rules that do not exist yet (by key); returns how many were created."""
    from zhibao.cases.models import TriageRule

    created = 0
    for key, priority, name, conditions, complexity, channel, basis in SEED:
        if not TriageRule.objects.filter(key=key).exists():
            TriageRule.objects.create(key=key, version=1, priority=priority, name=name, conditions=conditions,
                                      complexity=complexity, channel=channel, basis=basis)
            created += 1
    return created
