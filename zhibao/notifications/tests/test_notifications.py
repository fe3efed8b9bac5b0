"""Notifications: created in the caller's transaction, e-mailed on commit, each user sees only their own."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.db import transaction

from zhibao.core.errors import InvalidInput, NotFound
from zhibao.notifications import selectors, services
from zhibao.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_inboxes(demo):  # noqa: ANN001, ANN202
    """Start from empty inboxes: other apps' demo data may already have notified the demo users."""
    Notification.objects.all().delete()


def test_notify_creates_one_row_per_distinct_active_recipient(demo):  # noqa: ANN001
    xinghe, daili, fangmao = demo["xinghe"], demo["daili"], demo["fangmao"]
    fangmao.is_active = False
    fangmao.save()
    created = services.notify(recipients=[xinghe, daili, xinghe, fangmao, None], kind="cases.due_soon",
                              title="案件即将到期", body="请在 3 日内处理", url="/cases/1/", email=False)
    assert created == 2
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"xinghe", "daili"}


def test_notify_sends_the_email_copy_only_after_commit(demo, django_capture_on_commit_callbacks):  # noqa: ANN001
    xinghe = demo["xinghe"]
    xinghe.email = "xinghe@example.cn"
    xinghe.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[xinghe, demo["daili"]], kind="cases.decided", title="决定书已送达",
                        body="请查收", url="/cases/1/")
    assert len(mail.outbox) == 1  # daili has no address: no mail, the in-app row still exists
    assert mail.outbox[0].to == ["xinghe@example.cn"]
    assert "决定书已送达" in mail.outbox[0].subject and "/cases/1/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=xinghe).emailed_at is not None


def test_a_rolled_back_change_leaves_no_notification_and_no_mail(demo, django_capture_on_commit_callbacks):  # noqa: ANN001
    xinghe = demo["xinghe"]
    xinghe.email = "xinghe@example.cn"
    xinghe.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):  # noqa: PT012
        with transaction.atomic():
            services.notify(recipients=[xinghe], kind="cases.decided", title="不会发出")
            raise RuntimeError("service failed")
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_notify_rejects_a_kind_without_app_prefix_and_an_empty_title(demo):  # noqa: ANN001
    with pytest.raises(InvalidInput) as exc:
        services.notify(recipients=[demo["xinghe"]], kind="due", title="x")
    assert "kind" in exc.value.errors
    with pytest.raises(InvalidInput) as exc:
        services.notify(recipients=[demo["xinghe"]], kind="cases.due", title="  ")
    assert "title" in exc.value.errors


def test_mark_read_touches_only_the_users_own_notifications(demo):  # noqa: ANN001
    services.notify(recipients=[demo["xinghe"], demo["fangmao"]], kind="cases.x", title="t", email=False)
    theirs = Notification.objects.get(recipient=demo["fangmao"])
    with pytest.raises(NotFound):
        services.mark_read(user=demo["xinghe"], ids=[theirs.pk])
    assert services.mark_read(user=demo["xinghe"]) == 1
    assert selectors.unread_count(demo["xinghe"]) == 0
    assert selectors.unread_count(demo["fangmao"]) == 1


def test_inbox_page_shows_unread_badge_and_opening_marks_read(demo, client_as):  # noqa: ANN001
    services.notify(recipients=[demo["xinghe"]], kind="cases.due_soon", title="案件即将到期", url="/evidence/",
                    email=False)
    client = client_as("xinghe")
    page = client.get("/notifications/")
    html = page.content.decode()
    assert page.status_code == 200 and "案件即将到期" in html and 'data-testid="unread-count">1<' in html
    note = Notification.objects.get()
    opened = client.get(f"/notifications/{note.pk}/open")
    assert opened.status_code == 302 and opened["Location"] == "/evidence/"
    note.refresh_from_db()
    assert note.is_read
    assert 'data-testid="unread-count"' not in client.get("/notifications/").content.decode()


def test_opening_someone_elses_notification_is_404_and_external_links_are_not_followed(demo, client_as):  # noqa: ANN001
    services.notify(recipients=[demo["fangmao"]], kind="cases.x", title="t", email=False)
    services.notify(recipients=[demo["xinghe"]], kind="cases.x", title="t", url="https://evil.example/", email=False)
    client = client_as("xinghe")
    theirs = Notification.objects.get(recipient=demo["fangmao"])
    assert client.get(f"/notifications/{theirs.pk}/open").status_code == 404
    mine = Notification.objects.get(recipient=demo["xinghe"])
    assert client.get(f"/notifications/{mine.pk}/open")["Location"] == "/notifications/"


def test_mark_all_read_page_action(demo, client_as):  # noqa: ANN001
    services.notify(recipients=[demo["xinghe"]], kind="cases.x", title="a", email=False)
    services.notify(recipients=[demo["xinghe"]], kind="credit.y", title="b", email=False)
    client = client_as("xinghe")
    filtered = client.get("/notifications/?kind=credit").content.decode()
    assert ">b<" in filtered and ">a<" not in filtered
    assert client.post("/notifications/read").status_code == 302
    assert selectors.unread_count(demo["xinghe"]) == 0


def test_api_lists_own_notifications_and_rejects_foreign_ids(demo, client_as):  # noqa: ANN001
    services.notify(recipients=[demo["xinghe"]], kind="cases.x", title="mine", email=False)
    services.notify(recipients=[demo["fangmao"]], kind="cases.x", title="theirs", email=False)
    client = client_as("xinghe")
    body = client.get("/api/v1/notifications?unread=true").json()
    assert body["count"] == 1 and body["items"][0]["title"] == "mine"
    theirs = Notification.objects.get(recipient=demo["fangmao"]).pk
    bad = client.post("/api/v1/notifications/read", data=json.dumps({"ids": [theirs]}),
                      content_type="application/json")
    assert bad.status_code == 404
    unknown_field = client.post("/api/v1/notifications/read", data=json.dumps({"idz": [1]}),
                                content_type="application/json")
    assert unknown_field.status_code == 422
    ok = client.post("/api/v1/notifications/read", data="{}", content_type="application/json")
    assert ok.json() == {"marked": 1}


def test_api_token_needs_the_notifications_scope(demo, client):  # noqa: ANN001
    from zhibao.accounts import services as accounts

    _, raw = accounts.issue_token(actor=demo["xinghe"], name="t", scopes=["orgs:read"])
    denied = client.get("/api/v1/notifications", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert denied.status_code == 403
    _, raw = accounts.issue_token(actor=demo["xinghe"], name="t2", scopes=["notifications:read"])
    assert client.get("/api/v1/notifications", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
