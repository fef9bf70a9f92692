"""Public pages (no log-in): /public/proposals/ and /public/proposals/<pk>/ show published proposals and
their approved answers, never private data of the proposers."""

import pytest
from django.test import Client

from lvzhi.proposals import services as s
from lvzhi.proposals.models import Category
from tests.conftest import user
from tests.proposals.conftest import member
from tests.proposals.test_export import new_filed, replied

pytestmark = pytest.mark.django_db


def published(proposal, qiantang, **kwargs):
    replied(proposal, qiantang, **kwargs)
    s.proposal_publish(proposal=proposal, by=user("tiwei"))
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def public(qiantang, filed):
    """朱政's proposal (with 徐钢 co-signing it is not; here alone), answered and published."""
    return published(filed, qiantang, text="已出台科技金融十条,设立创新基金。")


def test_the_list_shows_published_proposals_to_anyone(qiantang, public):
    r = Client().get("/public/proposals/", {"committee": qiantang.pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert public.title in html and public.number in html
    assert "朱政" in html and "科技界" in html
    assert f"/public/proposals/{public.pk}/" in html


def test_the_list_hides_unpublished_and_never_shows_mobiles_or_employers(qiantang, public):
    answered_only = new_filed(qiantang, "徐钢", "xugang", "关于推进未来乡村建设的建议")
    replied(answered_only, qiantang)  # answered but not published
    html = Client().get("/public/proposals/", {"committee": qiantang.pk}).content.decode()
    assert answered_only.title not in html
    zhu = member(qiantang, "朱政")
    assert zhu.mobile not in html and "13900000118" not in html
    if zhu.employer:
        assert zhu.employer not in html
    assert Client().get(f"/public/proposals/{answered_only.pk}/").status_code == 404


def test_unpublishing_takes_it_off_the_pages(qiantang, public):
    s.proposal_publish(proposal=public, by=user("tiwei"), publish=False)
    assert public.title not in Client().get("/public/proposals/", {"committee": qiantang.pk}).content.decode()
    assert Client().get(f"/public/proposals/{public.pk}/").status_code == 404


def test_a_draft_or_a_filed_proposal_is_404(draft):
    assert Client().get(f"/public/proposals/{draft.pk}/").status_code == 404
    assert Client().get("/public/proposals/999999/").status_code == 404


def test_the_detail_shows_the_proposal_and_its_answer_without_private_data(qiantang, draft):
    xu = member(qiantang, "徐钢")
    [inv] = s.cosigner_invite(proposal=draft, members=[xu], by=user("zhuzheng"))
    s.cosigner_respond(cosigner=inv, by=user("xugang"), confirm=True)
    s.proposal_submit(proposal=draft, by=user("zhuzheng"))
    s.proposal_file(proposal=draft, by=user("tiwei"))
    published(draft, qiantang, category="B", text="已列入年度计划,正在推进。")
    r = Client().get(f"/public/proposals/{draft.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    for text in (draft.title, draft.number, draft.problem, draft.analysis, draft.suggestion):
        assert text in html
    assert "朱政" in html and "科技界" in html and "徐钢" in html and xu.sector.name in html
    assert "已列入年度计划,正在推进。" in html and "B 正在解决或列入计划" in html and "区发展和改革局" in html
    zhu = member(qiantang, "朱政")
    for private in (zhu.mobile, xu.mobile, zhu.employer, xu.employer, zhu.post, xu.post):
        if private:
            assert private not in html
    assert "tiwei" not in html and "fgj" not in html  # no staff accounts


def test_the_proposer_who_refused_publication_is_never_shown(qiantang, filed):
    replied(filed, qiantang)
    s.proposal_publish(proposal=filed, by=user("tiwei"))
    filed.__class__.objects.filter(pk=filed.pk).update(agree_publish=False)  # withdrawn consent
    assert Client().get(f"/public/proposals/{filed.pk}/").status_code == 404
    assert filed.title not in Client().get("/public/proposals/", {"committee": qiantang.pk}).content.decode()


def test_search_by_title_or_body_and_filter_by_session_and_category(qiantang, public):
    other = published(new_filed(qiantang, "徐钢", "xugang", "关于推进未来乡村建设的建议"), qiantang)
    anon = Client()

    def titles(**params):
        html = anon.get("/public/proposals/", {"committee": qiantang.pk, **params}).content.decode()
        return {p.title for p in (public, other) if p.title in html}

    assert titles() == {public.title, other.title}
    assert titles(q="未来乡村") == {other.title}
    assert titles(q="产学研协同") == {public.title}  # a word of the analysis
    tech = Category.objects.get(committee=qiantang, name="科技创新")
    assert titles(category=tech.pk) == {public.title}
    assert titles(session=public.session_id) == {public.title, other.title}
    from lvzhi.org.models import Session

    elsewhere = Session.objects.for_committee(qiantang).exclude(pk=public.session_id).first()
    assert titles(session=elsewhere.pk) == set()
    assert titles(category="abc", session="x") == {public.title, other.title}  # invalid filters are ignored


def test_the_committee_selector_serves_each_committee(qiantang, hangzhou, public):
    anon = Client()
    html = anon.get("/public/proposals/", {"committee": hangzhou.pk}).content.decode()
    assert public.title not in html and hangzhou.name in html and "没有找到公开的提案" in html
    html = anon.get("/public/proposals/").content.decode()  # default: a committee that published
    assert public.title in html
    assert f'<option value="{hangzhou.pk}"' in html and f'<option value="{qiantang.pk}" selected' in html
    # a category of another committee is not a filter of this one
    other_cat = Category.objects.create(committee=hangzhou, name="科技创新")
    assert (
        public.title
        in anon.get("/public/proposals/", {"committee": qiantang.pk, "category": other_cat.pk}).content.decode()
    )


def test_the_list_is_paginated(qiantang, public, settings):
    from lvzhi.proposals import views_public

    views_public.PAGE_SIZE, old = 1, views_public.PAGE_SIZE
    try:
        published(new_filed(qiantang, "徐钢", "xugang", "关于推进未来乡村建设的建议"), qiantang)
        first = Client().get("/public/proposals/", {"committee": qiantang.pk}).content.decode()
        second = Client().get("/public/proposals/", {"committee": qiantang.pk, "page": 2}).content.decode()
        from lvzhi.proposals.queries_public import published as listed

        n = listed(qiantang).count()
        assert n >= 2 and f"第 1 / {n} 页" in first and f"第 2 / {n} 页" in second
        titles = list(listed(qiantang).values_list("title", flat=True))
        assert titles[0] in first and titles[0] not in second and titles[1] in second
        assert Client().get("/public/proposals/", {"page": "zz"}).status_code == 200
    finally:
        views_public.PAGE_SIZE = old
