"""The structure pages of the staff desk: who may see them, the generic list / create / edit / delete of
every kind, tenancy (another committee's row is 404), and the number of queries of a list page."""

import pytest
from django.contrib.contenttypes.models import ContentType

from lvzhi.core.models import Event
from lvzhi.org.models import HandlingUnit, Member, Party, Sector, Session, Studio, SubDistrict, Term
from lvzhi.org.services_structure import KINDS
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _events(obj, action):
    return Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(obj)), subject_id=obj.pk, action=action
    )


def _pages(qiantang):
    """Every GET page of the structure desk for the Qiantang committee."""
    unit = HandlingUnit.objects.for_committee(qiantang).first()
    pages = ["/org/", "/org/standing/", "/org/hierarchy/", f"/org/units/{unit.pk}/"]
    for slug, kind in KINDS.items():
        first = kind.model.objects.for_committee(qiantang).first()
        pages += [f"/org/setup/{slug}/", f"/org/setup/{slug}/new/", f"/org/setup/{slug}/{first.pk}/edit/"]
    return pages


def test_every_page_renders_for_office(office_client, qiantang):
    for url in _pages(qiantang):
        response = office_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("username", ["zhuzheng", "fgj"])
def test_it_refuses_a_member_and_unit_staff(username, qiantang):
    client = client_for(username)
    for url in _pages(qiantang):
        assert client.get(url).status_code == 403, url
    sector = Sector.objects.for_committee(qiantang).first()
    assert client.post("/org/setup/sectors/new/", {"name": "黑客界", "order": 1}).status_code == 403
    assert client.post(f"/org/setup/sectors/{sector.pk}/delete/").status_code == 403
    assert not Sector.objects.filter(name="黑客界").exists()
    assert Sector.objects.filter(pk=sector.pk).exists()


def test_a_leader_reads_but_may_not_write(qiantang):
    client = client_for("jinzhiqiang")
    response = client.get("/org/setup/sectors/")
    assert response.status_code == 200
    assert "新增界别" not in response.content.decode()
    assert client.get("/org/setup/sectors/new/").status_code == 403


def test_it_logs_in_first(client):
    response = client.get("/org/setup/sectors/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_unknown_kind_is_404(office_client):
    assert office_client.get("/org/setup/planets/").status_code == 404


def test_the_dashboard_shows_counts_and_links(office_client, qiantang):
    html = office_client.get("/org/").content.decode()
    active = Member.objects.for_committee(qiantang).filter(state="active")
    assert f'<span class="n">{active.count()}</span><span>在任委员' in html
    assert f'<span class="n">{active.filter(is_standing=True).count()}</span><span>常委' in html
    assert f'<span class="n">{Sector.objects.for_committee(qiantang).count()}</span><span>界别' in html
    for href in [
        "/org/members/",
        "/org/nominations/",
        "/org/exits/",
        "/org/liaisons/",
        "/org/standing/",
        "/org/hierarchy/",
        *[f"/org/setup/{slug}/" for slug in KINDS],
    ]:
        assert f'href="{href}"' in html, href


def test_the_list_shows_the_rows_with_usage(office_client, qiantang):
    html = office_client.get("/org/setup/sub-districts/").content.decode()
    assert "下沙街道" in html and "临江街道" in html
    assert "工作室数" in html and "联系点数" in html
    assert "杭州" not in html.split("<main", 1)[1].replace("杭州市钱塘区政协", "")


def test_it_creates_a_sector(office_client, qiantang):
    response = office_client.post("/org/setup/sectors/new/", {"name": "新的社会阶层人士", "order": 18})
    assert response.status_code == 302 and response.url == "/org/setup/sectors/"
    sector = Sector.objects.get(committee=qiantang, name="新的社会阶层人士")
    assert sector.order == 18
    event = _events(sector, "structure.created").get()
    assert event.data == {"kind": "sectors", "name": "新的社会阶层人士"}
    assert event.actor.username == "office" and event.committee == qiantang
    assert "已新增界别“新的社会阶层人士”" in office_client.get(response.url).content.decode()


def test_it_creates_a_party_with_its_kind(office_client, qiantang):
    office_client.post("/org/setup/parties/new/", {"name": "台盟", "kind": "democratic", "order": 20})
    party = Party.objects.get(committee=qiantang, name="台盟")
    assert party.kind == Party.Kind.DEMOCRATIC
    response = office_client.post("/org/setup/parties/new/", {"name": "某党", "kind": "nonsense", "order": 1})
    assert response.status_code == 200 and not Party.objects.filter(name="某党").exists()


def test_it_creates_a_session_in_a_term_of_this_committee(office_client, qiantang):
    term = Term.objects.get(committee=qiantang, number=1)
    data = {"term": term.pk, "number": 6, "name": "一届六次会议", "start_date": "2026-01-10", "end_date": ""}
    assert office_client.post("/org/setup/sessions/new/", data).status_code == 302
    session = Session.objects.get(committee=qiantang, name="一届六次会议")
    assert session.term == term and session.end_date is None


def test_it_edits_a_studio_and_records_the_change(office_client, qiantang):
    studio = Studio.objects.get(committee=qiantang, name="下沙街道委员工作室")
    other = SubDistrict.objects.get(committee=qiantang, name="白杨街道")
    data = {"name": "下沙委员之家", "sub_district": other.pk, "address": "下沙路 1 号", "order": 1}
    response = office_client.post(f"/org/setup/studios/{studio.pk}/edit/", data)
    assert response.status_code == 302
    studio.refresh_from_db()
    assert (studio.name, studio.sub_district, studio.address) == ("下沙委员之家", other, "下沙路 1 号")
    event = _events(studio, "structure.updated").get()
    assert event.data["kind"] == "studios"
    assert event.data["changes"]["name"] == ["下沙街道委员工作室", "下沙委员之家"]
    assert event.data["changes"]["sub_district"] == ["下沙街道", "白杨街道"]
    assert "order" not in event.data["changes"]
    html = office_client.get(f"/org/setup/studios/{studio.pk}/edit/").content.decode()
    assert "修改组织设置" in html  # the timeline on the edit page


def test_it_refuses_an_end_before_the_start(office_client, qiantang):
    term = Term.objects.get(committee=qiantang, number=1)
    data = {"number": 1, "name": "一届", "start_date": "2021-07-19", "end_date": "2020-01-01"}
    response = office_client.post(f"/org/setup/terms/{term.pk}/edit/", data)
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    term.refresh_from_db()
    assert term.end_date is None


def test_it_deletes_an_unused_row(office_client, qiantang):
    sector = Sector.objects.create(committee=qiantang, name="待删除界别", order=99)
    response = office_client.post(f"/org/setup/sectors/{sector.pk}/delete/")
    assert response.status_code == 302
    assert not Sector.objects.filter(pk=sector.pk).exists()
    event = Event.objects.get(action="structure.deleted", subject_id=sector.pk)
    assert event.data == {"kind": "sectors", "name": "待删除界别"}
    assert "已删除界别“待删除界别”" in office_client.get(response.url).content.decode()


def test_delete_needs_post(office_client, qiantang):
    sector = Sector.objects.create(committee=qiantang, name="待删除界别", order=99)
    assert office_client.get(f"/org/setup/sectors/{sector.pk}/delete/").status_code == 405
    assert Sector.objects.filter(pk=sector.pk).exists()


def test_it_refuses_to_delete_a_row_in_use(office_client, qiantang):
    sector = Sector.objects.get(committee=qiantang, name="科技界")
    response = office_client.post(f"/org/setup/sectors/{sector.pk}/delete/", follow=True)
    assert Sector.objects.filter(pk=sector.pk).exists()
    assert "“科技界”仍在使用中(被委员引用),不能删除" in response.content.decode()
    assert not Event.objects.filter(action="structure.deleted", subject_id=sector.pk).exists()


def test_it_refuses_to_delete_a_sub_district_with_studios(office_client, qiantang):
    sd = SubDistrict.objects.get(committee=qiantang, name="河庄街道")
    Member.objects.filter(sub_district=sd).update(sub_district=None)
    response = office_client.post(f"/org/setup/sub-districts/{sd.pk}/delete/", follow=True)
    assert SubDistrict.objects.filter(pk=sd.pk).exists()
    assert "仍在使用中" in response.content.decode() and "委员工作室" in response.content.decode()


def test_it_refuses_a_duplicate_name(office_client, qiantang):
    before = Sector.objects.for_committee(qiantang).count()
    response = office_client.post("/org/setup/sectors/new/", {"name": "科技界", "order": 1})
    assert response.status_code == 200
    assert "本委员会已有同名的记录" in response.content.decode()
    assert Sector.objects.for_committee(qiantang).count() == before
    assert not Event.objects.filter(action="structure.created").exists()


def test_it_refuses_renaming_onto_another_name(office_client, qiantang):
    sector = Sector.objects.get(committee=qiantang, name="教育界")
    response = office_client.post(f"/org/setup/sectors/{sector.pk}/edit/", {"name": "科技界", "order": 3})
    assert "本委员会已有同名的记录" in response.content.decode()
    sector.refresh_from_db()
    assert sector.name == "教育界"


def test_the_same_name_is_fine_in_another_committee(qiantang, hangzhou):
    client = client_for("hz_office")
    assert client.post("/org/setup/sectors/new/", {"name": "科技界", "order": 3}).status_code == 302
    assert Sector.objects.filter(committee=hangzhou, name="科技界").exists()


def test_it_refuses_a_duplicate_term_number(office_client, qiantang):
    data = {"number": 1, "name": "第一届", "start_date": "2021-07-19"}
    response = office_client.post("/org/setup/terms/new/", data)
    assert "本委员会已有这一届" in response.content.decode()
    assert Term.objects.for_committee(qiantang).count() == 1


def test_another_committees_row_is_404(qiantang, hangzhou):
    qt_sector = Sector.objects.get(committee=qiantang, name="科技界")
    hz = client_for("hz_office")
    assert hz.get(f"/org/setup/sectors/{qt_sector.pk}/edit/").status_code == 404
    assert hz.post(f"/org/setup/sectors/{qt_sector.pk}/edit/", {"name": "改名", "order": 1}).status_code == 404
    assert hz.post(f"/org/setup/sectors/{qt_sector.pk}/delete/").status_code == 404
    qt_sector.refresh_from_db()
    assert qt_sector.name == "科技界"

    hz_sector = Sector.objects.get(committee=hangzhou, name="文化艺术界")
    office = client_for("office")
    assert office.get(f"/org/setup/sectors/{hz_sector.pk}/edit/").status_code == 404
    assert office.post(f"/org/setup/sectors/{hz_sector.pk}/delete/").status_code == 404
    assert Sector.objects.filter(pk=hz_sector.pk).exists()
    assert "文化艺术界" not in office.get("/org/setup/sectors/").content.decode()
    hz_unit = HandlingUnit.objects.get(committee=hangzhou)
    assert office.get(f"/org/units/{hz_unit.pk}/").status_code == 404


def test_it_refuses_a_related_row_of_another_committee(office_client, qiantang, hangzhou):
    hz_term = Term.objects.get(committee=hangzhou)
    data = {"term": hz_term.pk, "number": 9, "name": "偷渡会议", "start_date": "2026-01-10"}
    response = office_client.post("/org/setup/sessions/new/", data)
    assert response.status_code == 200
    assert "所选项目不属于本委员会" in response.content.decode()
    assert not Session.objects.filter(name="偷渡会议").exists()
    assert hz_term.name not in response.content.decode().split('name="term"', 1)[1].split("</select>")[0]

    hz_sd = SubDistrict.objects.create(committee=hangzhou, name="湖滨街道")
    studio = Studio.objects.get(committee=qiantang, name="义蓬街道委员工作室")
    data = {"name": studio.name, "sub_district": hz_sd.pk, "address": "", "order": 1}
    response = office_client.post(f"/org/setup/studios/{studio.pk}/edit/", data)
    assert "所选项目不属于本委员会" in response.content.decode()
    studio.refresh_from_db()
    assert studio.sub_district.committee == qiantang


def test_bad_input_answers_without_a_500(office_client, qiantang):
    long_name = "界" * 61
    response = office_client.post("/org/setup/sectors/new/", {"name": long_name, "order": "abc"})
    assert response.status_code == 200
    assert not Sector.objects.filter(name=long_name).exists()
    response = office_client.post("/org/setup/sessions/new/", {"term": "x", "number": "-1", "start_date": "昨天"})
    assert response.status_code == 200
    assert office_client.get("/org/setup/sectors/999999/edit/").status_code == 404


def test_hierarchy_shows_parents_and_children(office_client, qiantang):
    html = office_client.get("/org/hierarchy/").content.decode().split('data-testid="hierarchy"', 1)[1]
    assert html.index("全国政协") < html.index("浙江省政协") < html.index("杭州市政协") < html.index("杭州市钱塘区政协")
    assert "本委员会没有下级政协" in html
    html = client_for("hz_office").get("/org/hierarchy/").content.decode()
    assert "杭州市钱塘区政协" in html.split('aria-current="true"', 1)[1]


def test_the_list_page_query_count_does_not_grow_with_rows(office_client, qiantang, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = office_client.get("/org/setup/studios/")
    assert response.status_code == 200
    for i in range(20):
        sd = SubDistrict.objects.create(committee=qiantang, name=f"新街道{i}", order=10 + i)
        Studio.objects.create(committee=qiantang, name=f"新工作室{i}", sub_district=sd)
    with django_assert_max_num_queries(10):
        response = office_client.get("/org/setup/studios/")
    assert "新工作室19" in response.content.decode()
