"""The pages: writers' phone pages (write, similar reports, submit, detail with the way up), staff pages
(queue, edit, publish, forward, adoption, instruction, combine, issues, statistics, exports), who sees
residents' private data, and refusals (wrong role 403, another committee 404, bad input 400 with the
message, nothing changed)."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from lvzhi.opinions import services as s
from lvzhi.opinions.models import Adoption, BulletinIssue, OpinionReport
from tests.conftest import client_for, user

from .conftest import SITUATION, SUGGESTION, member, published, today, write

pytestmark = pytest.mark.django_db

FORM = {"title": "关于增设社区老年食堂的建议", "topic": "社会民生", "situation": SITUATION, "suggestion": SUGGESTION}


def test_member_home_lists_my_reports_and_the_write_button(qiantang, report):
    page = client_for("zhuzheng").get("/opinions/").content.decode()
    assert "写社情民意" in page and report.title in page and "待采编" in page


def test_a_member_writes_and_submits_on_the_phone(qiantang):
    response = client_for("zhuzheng").post("/opinions/new/", {**FORM, "action": "submit"})
    report = OpinionReport.objects.get(title=FORM["title"])
    assert response.status_code == 302 and response["Location"] == f"/opinions/{report.pk}/"
    assert report.state == "submitted" and s.authors(report) == [member(qiantang, "朱政")]


def test_too_long_text_shows_the_limit_and_saves_nothing(qiantang):
    before = OpinionReport.objects.count()
    response = client_for("zhuzheng").post("/opinions/new/", {**FORM, "situation": "长" * 1600, "action": "save"})
    assert response.status_code == 400
    assert "超过了 1500 字的限制" in response.content.decode()
    assert OpinionReport.objects.count() == before


def test_a_bad_attachment_shows_a_message_and_saves_nothing(qiantang):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = OpinionReport.objects.count()
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00")
    response = client_for("zhuzheng").post("/opinions/new/", {**FORM, "files": upload, "action": "save"})
    assert response.status_code == 400 and "文件类型不能上传" in response.content.decode()
    assert OpinionReport.objects.count() == before


def test_similar_earlier_reports_are_shown_while_writing(qiantang):
    write(qiantang, "xugang")
    response = client_for("zhuzheng").post(
        "/opinions/new/", {**FORM, "title": "关于地铁口电动车停放的建议", "action": "similar"}
    )
    page = response.content.decode()
    assert 'data-testid="similar-item"' in page and "关于规范地铁口电动自行车停放的建议" in page
    assert not OpinionReport.objects.filter(title="关于地铁口电动车停放的建议").exists()


def test_residents_data_is_visible_only_to_opinions_staff_and_the_reporter(qiantang):
    report = write(
        qiantang, "lianluo", co=[member(qiantang, "徐钢")], resident_name="王阿姨", resident_phone="13812345678"
    )
    assert "13812345678" in client_for("lianluo").get(f"/opinions/{report.pk}/").content.decode()
    assert "13812345678" in client_for("xinxi").get(f"/opinions/staff/{report.pk}/").content.decode()
    author_page = client_for("xugang").get(f"/opinions/{report.pk}/")
    assert author_page.status_code == 200 and "13812345678" not in author_page.content.decode()
    leader_page = client_for("jinzhiqiang").get(f"/opinions/staff/{report.pk}/")
    assert leader_page.status_code == 200 and "13812345678" not in leader_page.content.decode()
    assert "王阿姨" not in leader_page.content.decode()


def test_wrong_roles_and_other_committees(qiantang, report):
    assert client_for("zhuzheng").get("/opinions/staff/").status_code == 403
    assert client_for("tiwei").get("/opinions/").status_code == 403  # staff do not write reports
    assert client_for("xugang").get(f"/opinions/{report.pk}/").status_code == 404  # not mine
    assert client_for("hz_office").get(f"/opinions/staff/{report.pk}/").status_code == 404
    leader = client_for("jinzhiqiang")
    assert leader.post(f"/opinions/staff/{report.pk}/accept/").status_code == 403
    assert leader.post(f"/opinions/staff/{report.pk}/adopt/", {"level": "district"}).status_code == 403
    report.refresh_from_db()
    assert report.state == "submitted"


def test_staff_edit_publish_forward_adopt_and_instruct_on_the_pages(qiantang, hangzhou, report):
    xinxi = client_for("xinxi")
    response = xinxi.post(
        f"/opinions/staff/{report.pk}/edit/",
        {"title": "关于地铁口停放秩序的建议", "topic": "社会治理", "situation": SITUATION, "suggestion": SUGGESTION},
    )
    assert response.status_code == 302
    xinxi.post(f"/opinions/staff/{report.pk}/accept/")
    issue = s.issue_create(committee=qiantang, by=user("xinxi"))
    xinxi.post(f"/opinions/staff/{report.pk}/publish/", {"issue": issue.pk})
    report.refresh_from_db()
    assert report.state == "published" and report.issue == issue
    xinxi.post(f"/opinions/staff/{report.pk}/forward/", {"reason": "请编发"})
    again = xinxi.post(f"/opinions/staff/{report.pk}/forward/", follow=True).content.decode()
    assert "不能重复报送" in again
    copy = OpinionReport.objects.get(forwarded_from=report)
    hz = client_for("hz_office")
    assert report.title in hz.get("/opinions/staff/").content.decode()
    hz.post(f"/opinions/staff/{copy.pk}/adopt/", {"level": "city", "body": "杭州市委办公厅", "date": today()})
    twice = hz.post(
        f"/opinions/staff/{copy.pk}/adopt/", {"level": "city", "body": "又一次", "date": today()}, follow=True
    )
    assert "同一层级只记录一次" in twice.content.decode()
    hz.post(
        f"/opinions/staff/{copy.pk}/instruct/",
        {"level": "city", "leader": "市长", "text": "请市交通局研究。", "date": today()},
    )
    assert Adoption.objects.filter(root=report).count() == 1
    page = client_for("zhuzheng").get(f"/opinions/{report.pk}/").content.decode()
    assert "杭州市委办公厅" in page and "请市交通局研究。" in page and "杭州市政协" in page
    district = xinxi.get(f"/opinions/staff/{report.pk}/").content.decode()
    assert "已报送杭州市政协" in district and "市级采用" in district


def test_combine_on_the_queue_page(qiantang):
    a, b = write(qiantang, "zhuzheng"), write(qiantang, "xugang", title="关于单车堆放的反映")
    response = client_for("xinxi").post("/opinions/staff/combine/", {"ids": [a.pk, b.pk], "target": a.pk})
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.state == "combined" and [m.name for m in s.authors(a)] == ["朱政", "徐钢"]


def test_issues_page_numbers_and_publishes_and_exports_word(qiantang):
    report = write(qiantang)
    s.report_accept(report=report, by=user("xinxi"))
    xinxi = client_for("xinxi")
    before = BulletinIssue.objects.filter(committee=qiantang, year=today().year).count()
    response = xinxi.post("/opinions/staff/issues/", {"date": today(), "title": "民生专刊"})
    issue = BulletinIssue.objects.get(committee=qiantang, title="民生专刊")
    assert response.status_code == 302 and issue.number == before + 1
    xinxi.post(f"/opinions/staff/issues/{issue.pk}/", {"ids": [report.pk]})
    report.refresh_from_db()
    assert report.issue == issue
    docx = xinxi.get(f"/opinions/staff/issues/{issue.pk}/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert f"{issue.year}年第{issue.number}期" in text and report.title in text and "朱政" in text
    assert client_for("jinzhiqiang").post("/opinions/staff/issues/", {"date": today()}).status_code == 403


def test_statistics_page_and_excel(qiantang):
    report = published(qiantang)
    s.adoption_record(report=report, by=user("xinxi"), level="district", body="区委办", date=today())
    page = client_for("jinzhiqiang").get("/opinions/staff/stats/").content.decode()
    assert "按作者" in page and "按界别" in page and "按类别" in page and "朱政" in page
    st = client_for("xinxi").get("/opinions/staff/stats/xlsx/")
    ws = load_workbook(io.BytesIO(st.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    row = next(r for r in rows if r[0] == report.title)
    assert "朱政" in row[1] and "区级·区委办" in row[9]
    leader_rows = [
        [c.value for c in r]
        for r in load_workbook(
            io.BytesIO(client_for("jinzhiqiang").get("/opinions/staff/stats/xlsx/").content)
        ).active.iter_rows()
    ]
    assert "反映群众电话" not in leader_rows[0] and "反映群众电话" in rows[0]


def test_the_excel_gives_the_day_of_submission_in_the_committees_time(qiantang):
    import datetime as dt

    report = published(qiantang)
    late = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 on 2 March in Hangzhou
    OpinionReport.objects.filter(pk=report.pk).update(submitted_at=late)
    rows = [
        [c.value for c in r]
        for r in load_workbook(
            io.BytesIO(client_for("xinxi").get("/opinions/staff/stats/xlsx/").content)
        ).active.iter_rows()
    ]
    row = next(r for r in rows if r[0] == report.title)
    day = row[rows[0].index("提交日期")]
    assert (day.date() if isinstance(day, dt.datetime) else day) == dt.date(2026, 3, 2)


def test_the_staff_nav_shows_the_opinions_links(qiantang):
    page = client_for("xinxi").get("/opinions/staff/").content.decode()
    assert "/opinions/staff/issues/" in page and "/opinions/staff/stats/" in page


def test_a_reporter_names_the_member_of_the_contact_point_as_author(qiantang):
    xu = member(qiantang, "徐钢")
    client = client_for("lianluo")
    client.post("/opinions/new/", {**FORM, "co_author": xu.pk, "action": "save"})
    report = OpinionReport.objects.get(title=FORM["title"])
    assert s.authors(report) == [xu] and report.source == "contact_point"
    # changing the draft keeps him (the form shows him chosen)
    page = client.get(f"/opinions/{report.pk}/edit/").content.decode()
    assert f'<option value="{xu.pk}" selected>' in page
    client.post(f"/opinions/{report.pk}/edit/", {**FORM, "co_author": xu.pk, "action": "submit"})
    report.refresh_from_db()
    assert report.state == "submitted" and s.authors(report) == [xu]


def test_a_member_editing_a_draft_keeps_the_co_author(qiantang):
    xu = member(qiantang, "徐钢")
    report = write(qiantang, submit=False, co=[xu])
    client_for("zhuzheng").post(f"/opinions/{report.pk}/edit/", {**FORM, "co_author": xu.pk, "action": "save"})
    assert [m.name for m in s.authors(report)] == ["朱政", "徐钢"]
    s.draft_save(committee=qiantang, by=user("zhuzheng"), values=FORM, report=report)  # API without authors
    assert [m.name for m in s.authors(report)] == ["朱政", "徐钢"]


def test_the_writer_of_a_combined_report_sees_where_it_went(qiantang):
    a, b = write(qiantang, "xugang"), write(qiantang, "zhuzheng", title="关于单车堆放的反映")
    s.report_combine(target=a, others=[b], by=user("xinxi"))
    page = client_for("zhuzheng").get(f"/opinions/{b.pk}/").content.decode()
    assert "已合并" in page and a.title in page
