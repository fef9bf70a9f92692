"""A proposal converted into a public-opinion report by the proposal office enters the opinions queue
with the proposal's text and its proposers as authors (once)."""

import pytest

from lvzhi.core.models import Event
from lvzhi.opinions.handoff import report_from_proposal
from lvzhi.opinions.models import OpinionReport
from lvzhi.proposals import services as ps
from tests.conftest import client_for, user
from tests.proposals.conftest import draft  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_converted_proposal_enters_the_opinions_queue(qiantang, draft, django_capture_on_commit_callbacks):  # noqa: F811
    ps.proposal_submit(proposal=draft, by=user("zhuzheng"))
    with django_capture_on_commit_callbacks(execute=True):
        ps.proposal_convert(proposal=draft, by=user("tiwei"), to="report", reason="更适合以社情民意形式反映")
    report = OpinionReport.objects.get(from_proposal=draft)
    assert report.committee == qiantang and report.state == "submitted"
    assert report.title == draft.title and report.suggestion == draft.suggestion
    assert draft.problem in report.situation
    assert [a.member.name for a in report.author_rows.all()] == ["朱政"]
    assert Event.objects.filter(action="opinion.from_proposal", subject_id=report.pk).exists()
    page = client_for("xinxi").get("/opinions/staff/?state=submitted").content.decode()
    assert draft.title in page and "提案转来" in page
    # handing off again (a replayed event) adds nothing
    assert report_from_proposal(draft.pk) is None
    assert OpinionReport.objects.filter(from_proposal=draft).count() == 1


def test_other_proposal_events_create_nothing(qiantang, draft, django_capture_on_commit_callbacks):  # noqa: F811
    before = OpinionReport.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        ps.proposal_submit(proposal=draft, by=user("zhuzheng"))
    assert OpinionReport.objects.count() == before
