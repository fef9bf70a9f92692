"""The structure services called directly (as the API and imports will): the rules hold without a form."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lvzhi.core.models import Event
from lvzhi.org.models import Session, Studio, SubDistrict, Term
from lvzhi.org.services_structure import KINDS, structure_create, structure_delete, structure_update
from tests.conftest import user

pytestmark = pytest.mark.django_db


def test_every_kind_names_real_editable_fields():
    for kind in KINDS.values():
        names = {f.name for f in kind.model._meta.get_fields()}
        assert set(kind.fields) <= names and set(kind.columns) <= names, kind.slug
        assert "committee" not in kind.fields


def test_it_refuses_a_related_row_of_another_committee(qiantang, hangzhou):
    hz_term = Term.objects.get(committee=hangzhou)
    values = {"term": hz_term, "number": 9, "name": "越界会议", "start_date": dt.date(2026, 1, 1), "end_date": None}
    with pytest.raises(ValidationError) as e:
        structure_create(kind=KINDS["sessions"], committee=qiantang, values=values, by=user("office"))
    assert "term" in e.value.message_dict
    assert not Session.objects.filter(name="越界会议").exists()


def test_it_refuses_a_field_that_is_not_editable(qiantang):
    with pytest.raises(ValueError):
        structure_create(
            kind=KINDS["sectors"], committee=qiantang, values={"name": "x", "committee": qiantang}, by=user("office")
        )


def test_a_duplicate_session_number_in_the_term_is_refused(qiantang):
    term = Term.objects.get(committee=qiantang)
    values = {"term": term, "number": 1, "name": "重复的一次会议", "start_date": dt.date(2026, 1, 1), "end_date": None}
    with pytest.raises(ValidationError) as e:
        structure_create(kind=KINDS["sessions"], committee=qiantang, values=values, by=user("office"))
    assert e.value.message_dict["number"] == ["这一届已有这一次会议。"]


def test_a_failed_delete_leaves_no_event(qiantang):
    sd = SubDistrict.objects.get(committee=qiantang, name="前进街道")
    with pytest.raises(ValidationError):
        structure_delete(kind=KINDS["sub-districts"], obj=sd, by=user("office"))
    assert SubDistrict.objects.filter(pk=sd.pk).exists()
    assert not Event.objects.filter(action="structure.deleted").exists()


def test_update_records_only_what_changed(qiantang):
    studio = Studio.objects.get(committee=qiantang, name="新湾街道委员工作室")
    values = {"name": studio.name, "sub_district": studio.sub_district, "address": "新湾路 8 号", "order": studio.order}
    structure_update(kind=KINDS["studios"], obj=studio, values=values, by=user("office"))
    event = Event.objects.get(action="structure.updated", subject_id=studio.pk)
    assert event.data["changes"] == {"address": ["新湾街道便民服务中心二楼", "新湾路 8 号"]}
