"""Notifications: notify() delivers after the transaction commits, through the configured channels;
the inbox shows a user only their own messages of the current committee."""

import logging

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Notification
from lvzhi.core.notify import notify
from tests.conftest import client_for, user

pytestmark = pytest.mark.django_db


def test_it_delivers_to_the_inbox_when_the_transaction_commits(qiantang, django_capture_on_commit_callbacks):
    zhu, xu = user("zhuzheng"), user("xugang")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            notify(
                committee=qiantang, users=[zhu, xu, zhu], title="提案已立案", body="第 1 号提案", url="/tab/proposals/"
            )
            assert not Notification.objects.filter(title="提案已立案").exists()  # nothing before the commit
    assert len(callbacks) == 1
    rows = Notification.objects.filter(title="提案已立案").order_by("user__username")
    assert [(n.user.username, n.committee_id, n.body, n.url) for n in rows] == [
        ("xugang", qiantang.pk, "第 1 号提案", "/tab/proposals/"),
        ("zhuzheng", qiantang.pk, "第 1 号提案", "/tab/proposals/"),
    ]
    html = client_for("zhuzheng").get(reverse("core:inbox")).content.decode()
    assert "提案已立案" in html and "第 1 号提案" in html


def test_nothing_is_delivered_when_the_transaction_rolls_back(qiantang, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(committee=qiantang, users=[user("zhuzheng")], title="不会送达")
            raise RuntimeError("rolled back")
    assert callbacks == []
    assert not Notification.objects.filter(title="不会送达").exists()


def test_nobody_to_notify_sends_nothing(qiantang, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(committee=qiantang, users=[], title="无人")
    assert callbacks == []


def test_the_sms_console_channel_logs_the_message(qiantang, django_capture_on_commit_callbacks, caplog):
    with caplog.at_level(logging.INFO, logger="lvzhi.notify"):
        with django_capture_on_commit_callbacks(execute=True):
            notify(committee=qiantang, users=[user("zhuzheng")], title="明天开会", body="9:00 报到", channels=("sms",))
    assert "SMS to 13900000118: 明天开会 9:00 报到" in caplog.text
    assert not Notification.objects.filter(title="明天开会").exists()  # SMS only: no inbox row


def test_the_work_app_console_channel_logs_and_inapp_also_delivers(
    qiantang, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.INFO, logger="lvzhi.notify"):
        with django_capture_on_commit_callbacks(execute=True):
            notify(committee=qiantang, users=[user("xugang")], title="请评价答复", channels=("inapp", "workapp"))
    assert "work-app message to xugang: 请评价答复" in caplog.text
    assert Notification.objects.filter(user__username="xugang", title="请评价答复").count() == 1


def test_an_inactive_user_receives_nothing(qiantang, django_capture_on_commit_callbacks):
    xu = user("xugang")
    xu.is_active = False
    xu.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(committee=qiantang, users=[xu], title="停用账户")
    assert not Notification.objects.filter(title="停用账户").exists()


def test_a_user_sees_only_their_own_messages_of_the_current_committee(qiantang, hangzhou):
    Notification.objects.create(committee=qiantang, user=user("zhuzheng"), title="给朱政的")
    Notification.objects.create(committee=qiantang, user=user("xugang"), title="给徐钢的")
    Notification.objects.create(committee=hangzhou, user=user("zhuzheng"), title="别的委员会的")
    html = client_for("zhuzheng").get(reverse("core:inbox")).content.decode()
    assert "给朱政的" in html
    assert "给徐钢的" not in html
    assert "别的委员会的" not in html


def test_opening_a_message_marks_it_read_and_goes_to_it(qiantang):
    n = Notification.objects.create(committee=qiantang, user=user("zhuzheng"), title="去看看", url="/org/me/")
    response = client_for("zhuzheng").get(reverse("core:inbox_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/org/me/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_a_message_linking_elsewhere_opens_the_inbox_instead(qiantang):
    n = Notification.objects.create(
        committee=qiantang, user=user("zhuzheng"), title="外链", url="https://evil.example/"
    )
    response = client_for("zhuzheng").get(reverse("core:inbox_open", args=[n.pk]))
    assert response["Location"] == reverse("core:inbox")


def test_another_users_message_cannot_be_opened(qiantang):
    n = Notification.objects.create(committee=qiantang, user=user("xugang"), title="徐钢的")
    response = client_for("zhuzheng").get(reverse("core:inbox_open", args=[n.pk]))
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_my_messages_of_this_committee(qiantang, hangzhou):
    Notification.objects.filter(user=user("maoxucheng")).update(read_at=timezone.now())  # the demo's messages
    mine = Notification.objects.create(committee=qiantang, user=user("maoxucheng"), title="钱塘的")
    other_committee = Notification.objects.create(committee=hangzhou, user=user("maoxucheng"), title="杭州的")
    someone_else = Notification.objects.create(committee=qiantang, user=user("zhuzheng"), title="朱政的")
    client = client_for("maoxucheng")
    client.post(reverse("core:switch_committee"), {"committee": qiantang.pk})
    response = client.post(reverse("core:inbox_read_all"), follow=True)
    assert "已将 1 条消息标为已读" in response.content.decode()
    for n in (mine, other_committee, someone_else):
        n.refresh_from_db()
    assert mine.read_at is not None
    assert other_committee.read_at is None and someone_else.read_at is None


def test_mark_all_read_needs_a_post(member_client):
    assert member_client.get(reverse("core:inbox_read_all")).status_code == 405
