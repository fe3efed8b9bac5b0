"""Seed the 繁简分流 rules (version 1); the city administrator edits them later (each save a new version)."""

from django.db import migrations

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


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    TriageRule = apps.get_model("cases", "TriageRule")
    for key, priority, name, conditions, complexity, channel, basis in SEED:
        TriageRule.objects.get_or_create(key=key, version=1, defaults=dict(
            priority=priority, name=name, conditions=conditions, complexity=complexity, channel=channel,
            basis=basis, is_current=True, active=True))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
