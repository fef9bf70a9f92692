"""Live attendance (实时出席): the headline and counts, by group and by sector, polled every 5 seconds."""

import re

import pytest

from lvzhi.meetings import services as s
from lvzhi.meetings.models import Invitation
from tests.conftest import client_for, user


def inv(meeting, name):
    return Invitation.objects.select_related("member").get(meeting=meeting, member__name=name)


def number(page, testid):
    return int(re.search(rf'data-testid="{testid}">(\d+)<', page).group(1))


def row(page, table, name):
    """The numbers of one row (invited, present, leave, not arrived) of a table of the fragment."""
    section = page.split(f'data-testid="{table}"', 1)[1].split("</table>", 1)[0]
    cells = re.search(rf'<tr data-name="{name}">(.*?)</tr>', section, re.S).group(1)
    return [int(n) for n in re.findall(r'class="num">(?:<strong>)?(\d+)', cells)]


@pytest.fixture
def day(plenary):
    """Groups by sector; 朱政 registered and checked in, 茅徐程 checked in, 徐钢 on leave."""
    s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=4)
    zhu = inv(plenary, "朱政")
    s.registration_complete(invitation=zhu, by=user("zhuzheng"), materials=["会议指南"], signed_name="朱政")
    s.check_in_by_qr(meeting=plenary, token=s.qr_token(zhu), by=user("huiwu"))
    s.check_in_by_qr(meeting=plenary, token=s.qr_token(inv(plenary, "茅徐程")), by=user("huiwu"))
    leave = s.leave_request(invitation=inv(plenary, "徐钢"), by=user("xugang"), reason="出差")
    s.leave_decide(leave=leave, by=user("huiwu"), approve=True)
    return plenary


def test_the_fragment_counts_match_the_database(day):
    page = client_for("huiwu").get(f"/meetings/staff/{day.pk}/live/counts/").content.decode()
    db = Invitation.objects.filter(meeting=day)
    present = db.filter(state="present").count()
    assert present == 2
    assert "2 人出席" in page and "<html" not in page
    assert number(page, "live-invited") == db.count() == 205
    assert number(page, "live-registered") == db.filter(registered_at__isnull=False).count() == 1
    assert number(page, "live-present") == present
    assert number(page, "live-leave") == db.filter(state="on_leave").count() == 1
    assert number(page, "live-absent") == 205 - 2 - 1


def test_the_counts_by_sector_and_group_match_the_database(day):
    page = client_for("huiwu").get(f"/meetings/staff/{day.pk}/live/counts/").content.decode()
    db = Invitation.objects.filter(meeting=day)
    tech = db.filter(member__sector__name="科技界")
    assert row(page, "live-by-sector", "科技界") == [tech.count(), 1, 0, tech.count() - 1]
    zhi = db.filter(member__sector__name="致公党")
    assert row(page, "live-by-sector", "致公党") == [zhi.count(), 0, 1, zhi.count() - 1]
    group = inv(day, "朱政").group
    in_group = db.filter(group=group)
    present = in_group.filter(state="present").count()
    leave = in_group.filter(state="on_leave").count()
    assert row(page, "live-by-group", group.name) == [
        in_group.count(),
        present,
        leave,
        in_group.count() - present - leave,
    ]
    total = sum(row(page, "live-by-group", g.name)[0] for g in day.groups.all())
    assert total == 205
    # in the roster's order of sectors and the groups' own order, not alphabetical
    assert page.index('data-name="中共"') < page.index('data-name="民革"') < page.index('data-name="科技界"')
    names = [g.name for g in day.groups.all()]
    assert sorted(names, key=page.index) == names


def test_the_page_polls_the_fragment_every_five_seconds(day):
    page = client_for("huiwu").get(f"/meetings/staff/{day.pk}/live/").content.decode()
    assert f'hx-get="/meetings/staff/{day.pk}/live/counts/"' in page and 'hx-trigger="every 5s"' in page
    assert "2 人出席" in page and "<html" in page


def test_the_count_follows_a_new_check_in(day):
    client = client_for("huiwu")
    url = f"/meetings/staff/{day.pk}/live/counts/"
    assert number(client.get(url).content.decode(), "live-present") == 2
    other = Invitation.objects.filter(meeting=day, state="invited").first()
    s.check_in_by_qr(meeting=day, token=s.qr_token(other), by=user("huiwu"))
    assert number(client.get(url).content.decode(), "live-present") == 3


def test_after_closing_it_counts_the_absent(day):
    s.meeting_close(meeting=day, by=user("huiwu"))
    page = client_for("huiwu").get(f"/meetings/staff/{day.pk}/live/counts/").content.decode()
    assert number(page, "live-absent") == Invitation.objects.filter(meeting=day, state="absent").count() == 202
    assert "缺席" in page


@pytest.mark.parametrize("name", ["zhuzheng", "fgj"])
def test_members_and_units_may_not_see_it(plenary, name):
    client = client_for(name)
    assert client.get(f"/meetings/staff/{plenary.pk}/live/").status_code == 403
    assert client.get(f"/meetings/staff/{plenary.pk}/live/counts/").status_code == 403


def test_another_committee_may_not_see_it(plenary):
    client = client_for("hz_office")
    assert client.get(f"/meetings/staff/{plenary.pk}/live/").status_code == 404
    assert client.get(f"/meetings/staff/{plenary.pk}/live/counts/").status_code == 404


def test_the_fragment_needs_few_queries(day, django_assert_max_num_queries):
    client = client_for("huiwu")
    client.get(f"/meetings/staff/{day.pk}/live/counts/")
    with django_assert_max_num_queries(10):
        client.get(f"/meetings/staff/{day.pk}/live/counts/")
