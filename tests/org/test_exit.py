"""Exit review (退出机制): open, decide to exit (ends the membership) or retain, refusals, notification."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from lvzhi.core.models import Event, Notification
from lvzhi.core.workflow import TransitionRefused
from lvzhi.org.models import ExitReview, Member, Membership
from lvzhi.org.services_lifecycle import exit_review_decide, exit_review_open
from tests.conftest import client_for, user


def _member(committee, name="朱政"):
    return Member.objects.for_committee(committee).get(name=name)


def _events(review):
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(ExitReview), subject_id=review.pk
    ).order_by("id")


@pytest.fixture
def review(qiantang):
    return exit_review_open(member=_member(qiantang), grounds="一年内两次无故缺席全体会议", by=user("office"))


def test_office_opens_a_review_from_the_page(qiantang, office_client):
    member = _member(qiantang)
    response = office_client.post(reverse("org:exit_new"), {"member": member.pk, "grounds": "连续两年未提交提案"})
    review = ExitReview.objects.get(member=member)
    assert response.status_code == 302 and response.url == reverse("org:exit", args=[review.pk])
    assert review.state == "open" and review.grounds == "连续两年未提交提案"
    event = _events(review).get()
    assert (event.action, event.to_state, event.actor.username) == ("exit_review.opened", "open", "office")
    page = office_client.get(reverse("org:exit", args=[review.pk])).content.decode()
    assert "连续两年未提交提案" in page and "决定退出" in page and "决定保留" in page


def test_opening_notifies_the_office(qiantang, django_capture_on_commit_callbacks):
    # the demo's own messages (proposals) are not this test's business: look only at what opening sends
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True):
        review = exit_review_open(member=_member(qiantang), grounds="无故缺席", by=None)
    sent = Notification.objects.filter(pk__gt=last)
    inbox = sent.filter(user=user("office"), committee=qiantang)
    assert inbox.count() == 1
    note = inbox.get()
    assert "朱政" in note.title and note.url == reverse("org:exit", args=[review.pk])
    # only office staff: the proposals staff and the member get nothing
    assert not sent.filter(user__username__in=["tiwei", "zhuzheng"]).exists()
    event = _events(review).get()
    assert event.actor is None  # opened by the platform itself


def test_it_refuses_a_second_open_review(qiantang, office_client, review):
    with pytest.raises(ValidationError, match="进行中的退出审查"):
        exit_review_open(member=_member(qiantang), grounds="再次", by=user("office"))
    response = office_client.post(reverse("org:exit_new"), {"member": review.member.pk, "grounds": "再次启动"})
    assert response.status_code == 200 and "进行中的退出审查" in response.content.decode()
    assert ExitReview.objects.filter(member=review.member).count() == 1


def test_it_requires_grounds(qiantang, office_client):
    member = _member(qiantang)
    response = office_client.post(reverse("org:exit_new"), {"member": member.pk, "grounds": "   "})
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    with pytest.raises(ValidationError):
        exit_review_open(member=member, grounds=" ", by=user("office"))
    assert not ExitReview.objects.exists()


def test_deciding_exit_ends_the_membership_and_removes_the_roles(qiantang, office_client, review):
    member = review.member
    assert Membership.objects.filter(user=member.user, committee=qiantang, role="member").exists()
    response = office_client.post(
        reverse("org:exit_act", args=[review.pk]), {"action": "exit", "reason": "经审查,决定退出"}, follow=True
    )
    assert "已作出决定" in response.content.decode()
    review.refresh_from_db()
    member.refresh_from_db()
    assert review.state == "exited" and review.decision == "经审查,决定退出"
    assert member.state == "ended" and member.ended_reason == "经审查,决定退出" and member.ended_on is not None
    assert not Membership.objects.filter(user=member.user, committee=qiantang, role__in=["member", "standing"]).exists()
    assert Event.objects.filter(action="member.end", subject_id=member.pk, reason="经审查,决定退出").count() == 1
    assert list(_events(review).values_list("action", flat=True)) == ["exit_review.opened", "exit_review.exit"]


def test_deciding_retain_keeps_the_member(qiantang, office_client, review):
    member = review.member
    office_client.post(reverse("org:exit_act", args=[review.pk]), {"action": "retain", "reason": "已说明情况,予以保留"})
    review.refresh_from_db()
    member.refresh_from_db()
    assert review.state == "retained" and review.decision == "已说明情况,予以保留"
    assert member.state == "active"
    assert Membership.objects.filter(user=member.user, committee=qiantang, role="member").exists()
    # a new review may be opened once the previous one is decided
    exit_review_open(member=member, grounds="第二年仍未履职", by=user("office"))
    assert ExitReview.objects.filter(member=member, state="open").count() == 1


@pytest.mark.parametrize("action", ["exit", "retain"])
def test_a_decision_requires_a_reason(qiantang, office_client, review, action):
    response = office_client.post(
        reverse("org:exit_act", args=[review.pk]), {"action": action, "reason": ""}, follow=True
    )
    assert "需要填写理由" in response.content.decode()
    review.refresh_from_db()
    assert review.state == "open" and _member(qiantang).state == "active"


def test_an_exit_that_cannot_end_the_membership_changes_nothing(qiantang, review):
    """The member was ended in between through the roster: deciding exit is refused as a whole."""
    from lvzhi.org.services import member_end

    member_end(member=review.member, by=user("office"), reason="本人辞去")
    with pytest.raises(TransitionRefused):
        exit_review_decide(review=review, action="exit", by=user("office"), reason="决定退出")
    review.refresh_from_db()
    assert review.state == "open" and review.decision == ""


def test_list_shows_open_reviews_first(qiantang, office_client, review):
    other = exit_review_open(member=_member(qiantang, "徐钢"), grounds="缺席", by=user("office"))
    exit_review_decide(review=other, action="retain", by=user("office"), reason="保留")
    third = exit_review_open(member=_member(qiantang, "茅徐程"), grounds="缺席", by=user("office"))
    exit_review_decide(review=third, action="retain", by=user("office"), reason="保留")
    page = office_client.get(reverse("org:exits")).content.decode()
    assert page.index("朱政") < page.index("徐钢") and page.index("朱政") < page.index("茅徐程")
    page = office_client.get(reverse("org:exits"), {"state": "retained"}).content.decode()
    assert "朱政" not in page and "徐钢" in page


def test_the_member_page_lists_reviews_and_offers_liaison(qiantang, office_client, review):
    page = office_client.get(reverse("org:member", args=[review.member.pk])).content.decode()
    assert 'data-testid="member-lifecycle"' in page
    assert reverse("org:exit", args=[review.pk]) in page and "审查中" in page
    assert f"{reverse('org:liaison_new')}?member={review.member.pk}" in page
    other = _member(qiantang, "徐钢")
    page = office_client.get(reverse("org:member", args=[other.pk])).content.decode()
    assert f"{reverse('org:exit_new')}?member={other.pk}" in page and "暂无退出审查" in page


@pytest.mark.parametrize("username", ["zhuzheng", "fgj", "tiwei"])
def test_it_refuses_other_roles(username, review):
    client = client_for(username)
    assert client.get(reverse("org:exits")).status_code == 403
    assert client.get(reverse("org:exit", args=[review.pk])).status_code == 403
    assert client.post(reverse("org:exit_act", args=[review.pk]), {"action": "exit", "reason": "x"}).status_code == 403
    review.refresh_from_db()
    assert review.state == "open"


def test_another_committee_gets_404(qiantang, review):
    client = client_for("hz_office")
    assert client.get(reverse("org:exit", args=[review.pk])).status_code == 404
    assert client.post(reverse("org:exit_act", args=[review.pk]), {"action": "exit", "reason": "x"}).status_code == 404
    assert client.get(reverse("org:exit_new"), {"member": review.member.pk}).status_code == 404
    response = client.post(reverse("org:exit_new"), {"member": review.member.pk, "grounds": "跨委员会"})
    assert response.status_code == 200 and ExitReview.objects.count() == 1


def test_two_concurrent_opens_create_one_review(transactional_demo):
    """Two staff open a review of the same member at once: one succeeds, the other is refused."""
    import threading

    from django.db import connection

    from lvzhi.org import demo

    member = Member.objects.get(name="朱政", committee__name=demo.QIANTANG)
    office = user("office")
    results = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            exit_review_open(member=Member.objects.get(pk=member.pk), grounds="并发启动", by=office)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == ["ok", "refused"]
    assert ExitReview.objects.filter(member=member, state="open").count() == 1
