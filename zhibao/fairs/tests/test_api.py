"""The fairs API: public fair list, booths with filings for those who may see them, booth complaints filed,
read and handled with the web pages' permissions; bad input is 4xx JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from zhibao.accounts import services as accounts
from zhibao.evidence import services as evidence
from zhibao.fairs import services
from zhibao.fairs.models import Exhibitor, Fair
from zhibao.rights.models import Right

API = "/api/v1/fairs"


def _post(client, path, body):  # noqa: ANN001, ANN202
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def fair(demo):  # noqa: ANN001, ANN201
    return Fair.objects.get()


@pytest.fixture
def body(demo, orgs):  # noqa: ANN001, ANN201
    return {"respondent_id": Exhibitor.objects.get(organisation=orgs["fangmao"]).pk, "complainant_id": orgs["xinghe"].pk,
            "right_ids": [Right.objects.get(number="45678901").pk],
            "description": "A-101 展出带“星河”标识的音箱，未经许可。"}


def test_fairs_are_public_and_booths_show_filings_only_to_those_who_may_see_them(demo, orgs, fair, client_as):  # noqa: ANN001
    listed = Client().get(API).json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == fair.name
    assert listed["items"][0]["exhibitors"] == 2
    mine = Exhibitor.objects.get(organisation=orgs["xinghe"])
    services.file_exhibit(actor=demo["xinghe"], exhibitor=mine, exhibit="星河 S1",
                          right=Right.objects.get(number="45678901"))
    services.sign_pledge(actor=demo["xinghe"], exhibitor=mine, signer_name="张星河", agree=True)
    as_organiser = {e["booth"]: e for e in client_as("huizhan").get(f"{API}/{fair.pk}/exhibitors").json()}
    assert as_organiser["B-201"]["filings"][0]["exhibit"] == "星河 S1"
    assert as_organiser["B-201"]["pledge"]["deposit_no"].startswith("ZBCZ")
    assert as_organiser["A-101"]["filings"] == [] and as_organiser["A-101"]["pledged"] is False
    as_rival = {e["booth"]: e for e in client_as("fangmao").get(f"{API}/{fair.pk}/exhibitors").json()}
    assert as_rival["B-201"]["pledged"] is True and as_rival["B-201"]["filings"] is None
    assert as_rival["A-101"]["filings"] == []
    assert Client().get(f"{API}/{fair.pk}/exhibitors").status_code == 401
    assert client_as("huizhan").get(f"{API}/9999/exhibitors").status_code == 404


def test_complaint_filed_read_and_transferred_through_the_api(demo, orgs, fair, body, client_as):  # noqa: ANN001
    deposit = evidence.make_deposit(actor=demo["xinghe"], title="展位照片", files=[], statement="现场照片说明").deposit
    created = _post(client_as("daili"), f"{API}/{fair.pk}/complaints", {**body, "deposit_no": deposit.deposit_no})
    assert created.status_code == 201, created.content
    complaint = created.json()
    assert complaint["status"] == "open" and complaint["deposit_no"] == deposit.deposit_no
    assert complaint["booth"] == "A-101" and complaint["events"][0]["summary"].startswith(orgs["xinghe"].name)
    url = f"{API}/complaints/{complaint['id']}"
    assert client_as("fangmao").get(url).status_code == 200  # the respondent
    assert client_as("jinggou").get(url).status_code == 404  # another platform is no party
    assert _post(client_as("jinggou"), f"{url}/handle", {"outcome": "cover", "note": "遮盖"}).status_code == 404
    assert _post(client_as("xinghe"), f"{url}/handle", {"outcome": "cover", "note": "遮盖"}).status_code == 403
    bad = _post(client_as("huizhan"), f"{url}/handle", {"outcome": "burn", "note": "销毁"})
    assert bad.status_code == 400 and "outcome" in bad.json()["errors"]
    done = _post(client_as("huizhan"), f"{url}/handle", {"outcome": "transfer", "note": "涉嫌假冒，移交执法"})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "transferred" and done.json()["case_number"].startswith("ZB-")
    again = _post(client_as("wangzhifa"), f"{url}/handle", {"outcome": "cover", "note": "再次处理"})
    assert again.status_code == 409 and again.json()["status"] == "transferred"


def test_bad_complaints_are_4xx_json(demo, orgs, fair, body, client_as):  # noqa: ANN001
    xinghe = client_as("xinghe")
    path = f"{API}/{fair.pk}/complaints"
    own_booth = Exhibitor.objects.get(organisation=orgs["xinghe"]).pk
    bad = _post(xinghe, path, {**body, "respondent_id": 99999, "complainant_id": 99999})
    assert bad.status_code == 400 and {"respondent_id", "complainant_id"} <= set(bad.json()["errors"])
    bad = _post(xinghe, path, {**body, "respondent_id": own_booth, "description": "短", "deposit_no": "ZBCZNOPE"})
    assert bad.status_code == 400 and {"respondent", "description", "deposit_no"} <= set(bad.json()["errors"])
    foreign = evidence.make_deposit(actor=demo["fangmao"], title="他人存证", files=[], statement="他人的").deposit
    bad = _post(xinghe, path, {**body, "deposit_no": foreign.deposit_no})
    assert bad.status_code == 400 and "deposit_no" in bad.json()["errors"]
    assert _post(xinghe, path, {**body, "booth": "A-101"}).status_code == 422  # unknown field
    assert _post(xinghe, path, {**body, "right_ids": "x"}).status_code == 422
    assert _post(xinghe, f"{API}/9999/complaints", body).status_code == 404
    assert _post(client_as("fangmao"), path, body).status_code == 403  # not 星河's side
    assert _post(client_as("wangzhifa"), path, body).status_code == 404  # no right holder behind the officer
    assert client_as("xinghe").get(f"{API}/complaints/99999").status_code == 404


def test_tokens_need_the_fairs_scopes(demo, fair, body):  # noqa: ANN001
    _, raw = accounts.issue_token(actor=demo["xinghe"], name="t", scopes=["fairs:read"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get(f"{API}/{fair.pk}/exhibitors").status_code == 200
    assert _post(client, f"{API}/{fair.pk}/complaints", body).status_code == 403
    _, raw = accounts.issue_token(actor=demo["xinghe"], name="t2", scopes=["fairs:complaints"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert _post(client, f"{API}/{fair.pk}/complaints", body).status_code == 201
