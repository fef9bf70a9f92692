"""The demo of consultations: what the guides and the screenshots rely on, and loading it twice adds nothing."""

import pytest
from django.utils import timezone

from lvzhi.consultations import demo
from lvzhi.consultations.models import Consultation, Outcome, Plan, Post, Response, Supervision

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_approved_plan_consultations_an_outcome_and_a_supervision(qiantang):
    plan = Plan.objects.get(committee=qiantang, year=2026)
    assert plan.state == "approved" and plan.topics.count() == 6
    assert set(plan.topics.values_list("kind", flat=True)) == {
        "themed", "online", "counterpart", "proposal", "grassroots",
    }  # fmt: skip
    held = Consultation.objects.filter(committee=qiantang, state="held")
    assert held.count() == 2 and held.filter(kind="online").exists()
    assert Post.objects.filter(consultation__in=held, hidden=True).count() == 1
    outcome = Outcome.objects.get(committee=qiantang)
    assert outcome.state == "published" and outcome.recommendations.count() == 5
    states = dict(Response.objects.filter(recommendation__outcome=outcome).values_list("unit__name", "state"))
    assert states == {
        "区发展和改革局": "closed", "区教育局": "implementing", "区科技局": "answered", "区建设局": "sent",
        "区农业农村局": "closed",
    }  # fmt: skip
    assert Response.objects.filter(committee=qiantang, state="sent", due_date__lt=timezone.localdate()).exists()
    sup = Supervision.objects.get(committee=qiantang)
    assert sup.findings.count() == 3 and sup.inspections.count() == 2


def test_loading_twice_adds_nothing(qiantang):
    before = (Plan.objects.count(), Consultation.objects.count(), Response.objects.count())
    assert demo.load(qiantang) is None
    assert (Plan.objects.count(), Consultation.objects.count(), Response.objects.count()) == before
