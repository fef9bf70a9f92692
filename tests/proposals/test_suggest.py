from unittest import mock

import pytest

from bench._proposal_text import Generator
from lvzhi.proposals import intel_store
from lvzhi.proposals import suggest as sg
from lvzhi.proposals.models import Assignment, Category, IntelBlob
from lvzhi.proposals.suggest import suggest
from lvzhi.proposals.tasks_intel import retrain_suggester
from tests.proposals.conftest import unit
from tests.proposals.test_similarity import make_filed

# demo-like history: each topic went to one category and one lead unit
HISTORY = {
    "地铁口停车": ("城乡建设", "区发展和改革局"),
    "青年人才": ("社会事业", "区教育局"),
    "科技创新": ("科技创新", "区科技局"),
}


@pytest.fixture(autouse=True)
def _fresh():
    intel_store.forget()
    yield
    intel_store.forget()


@pytest.fixture
def history(qiantang):
    gen = Generator(5)
    items = [gen.proposal(topic) for topic in HISTORY for _ in range(8)]
    rows = make_filed(qiantang, items, prefix="S")
    for p, item in zip(rows, items, strict=True):
        category, lead = HISTORY[item["topic"]]
        p.category = Category.objects.get(committee=qiantang, name=category)
        p.save(update_fields=["category"])
        Assignment.objects.create(
            committee=qiantang,
            proposal=p,
            unit=unit(qiantang, lead),
            role="lead",
            state="accepted",
            due_date="2026-12-31",
            return_deadline="2026-06-30",
        )
    return gen


def test_it_suggests_nothing_and_asks_for_training_when_there_is_no_model(qiantang):
    with mock.patch("lvzhi.proposals.tasks_intel.schedule_retrain") as schedule:
        assert suggest(qiantang, "关于规范地铁口周边非机动车停放的建议") == {"category": None, "unit": None}
    schedule.assert_called_once_with(qiantang)
    assert not IntelBlob.objects.filter(committee=qiantang, kind="suggest").exists()


def test_it_never_trains_inside_a_request(qiantang, history):
    with mock.patch.object(sg, "fit", side_effect=AssertionError("trained inline")):
        assert suggest(qiantang, "关于规范地铁口周边非机动车停放的建议") == {"category": None, "unit": None}
    assert not IntelBlob.objects.filter(committee=qiantang, kind="suggest").exists()


def test_it_suggests_the_unit_mostly_used_for_similar_proposals_after_training(qiantang, history):
    retrain_suggester(qiantang.pk)
    got = suggest(qiantang, "关于解决下沙街道地铁站接驳停车难问题的建议。共享单车乱停乱放,建议推行电子围栏管理。")
    category, c_conf = got["category"]
    lead, u_conf = got["unit"]
    assert lead == unit(qiantang, "区发展和改革局") and 0 < u_conf <= 1
    assert category.name == "城乡建设" and 0 < c_conf <= 1
    other = suggest(qiantang, "关于进一步做好青年人才引育留用工作的建议,建设人才公寓。")
    assert other["unit"][0] == unit(qiantang, "区教育局")


def test_with_too_little_data_training_stores_no_classifier(qiantang, hangzhou):
    retrain_suggester(hangzhou.pk)
    assert suggest(hangzhou, "关于推进未来乡村建设的建议") == {"category": None, "unit": None}
