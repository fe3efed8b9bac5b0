"""Shared fixtures: the demo world (fixed actors 星河科技, 仿冒商贸, 王执法, 李调解 …) and clients."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_ledger(tmp_path_factory, settings):  # noqa: ANN001, ANN202
    """Every test gets its own evidence ledger and keys, so no test sees another's tree."""
    from zhibao.evidence import ledger_node

    where = tmp_path_factory.mktemp("ledger")
    settings.ZHIBAO_LEDGER_URL = str(where / "ledger.sqlite3")
    settings.ZHIBAO_KEYS_DIR = where / "keys"
    ledger_node.node.cache_clear()
    yield
    ledger_node.node.cache_clear()


@pytest.fixture
def demo(db):  # noqa: ANN001, ANN201
    """Load the demo world through the services and return users by username."""
    from zhibao.accounts.models import User
    from zhibao.core import demo as demo_data

    demo_data.load()
    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def orgs(demo):  # noqa: ANN001, ANN201
    from zhibao.orgs.models import Organisation

    by_name = {o.name: o for o in Organisation.objects.all()}
    return {
        "xinghe": by_name["北京星河科技有限公司"],
        "fangmao": by_name["北京仿冒商贸有限公司"],
        "platform": by_name["北京京购网络科技有限公司"],
        "licensee": by_name["北京银汉软件有限公司"],
    }


@pytest.fixture
def client_as(demo, client):  # noqa: ANN001, ANN201
    """``client_as('xinghe')`` → a test client logged in as that demo user."""
    from django.test import Client

    def make(username: str) -> Client:
        c = Client()
        c.force_login(demo[username])
        return c

    return make
