from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def facts(demo, orgs):  # noqa: ANN001, ANN201
    """Record two infringement decisions against 仿冒商贸 (the second one fires the repeat rule)."""
    from zhibao.credit import services

    def record(n: int = 2, **extra):  # noqa: ANN003, ANN202
        made = []
        for i in range(n):
            data = dict(actor=demo["qianxinyong"], organisation=orgs["fangmao"],
                        kind="administrative_penalty", occurred_on=dt.date(2025, 3 + i, 10),
                        legal_basis="《商标法》第六十条", summary=f"销售侵犯注册商标专用权的商品（第{i + 1}次）",
                        source_type="case", source_ref=f"京朝知罚〔{2025 + i}〕{i + 1}号", amount="50000",
                        authority="北京市朝阳区市场监督管理局")
            data.update(extra)
            made.append(services.record_fact(**data))
        return made

    return record
