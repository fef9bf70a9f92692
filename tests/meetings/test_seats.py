"""The seat plan (座位图): arranging the hall, automatic assignment (by sector then name, by group), hand
assignment and swaps, uniqueness of a seat (also under two concurrent staff), clearing; the page, its print
view and Excel export; the API; the member seeing the seat; wrong role 403, another committee 404."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lvzhi.core.models import Event
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings import services as s
from lvzhi.meetings import services_seats as seats
from lvzhi.meetings.models import Invitation, SeatPlan
from lvzhi.org.models import Member
from tests.api.conftest import api_for
from tests.conftest import client_for, user


def inv(meeting, name):
    return Invitation.objects.select_related("member").get(meeting=meeting, member__name=name)


def seated_in_seat_order(meeting):
    return list(
        Invitation.objects.filter(meeting=meeting, seat_row__isnull=False)
        .select_related("member__sector", "group")
        .order_by("seat_row", "seat_number")
    )


def hall(meeting, rows=12, per_row=20, reserved=(1,)):
    return seats.plan_arrange(
        meeting=meeting,
        by=user("huiwu"),
        rows=rows,
        seats_per_row=per_row,
        reserved_rows=reserved,
        reserved_label="领导席",
    )


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()
    return response.json()


# --------------------------------------------------------------------------- services


def test_auto_assignment_seats_by_sector_then_name_and_skips_reserved_rows_and_leave(plenary):
    xu = inv(plenary, "徐钢")
    s.leave_decide(
        leave=s.leave_request(invitation=xu, by=user("xugang"), reason="出差"), by=user("huiwu"), approve=True
    )
    hall(plenary)
    n = seats.seats_auto_assign(meeting=plenary, by=user("huiwu"), order="sector")
    assert n == 204  # 205 invited, one on leave
    rows = seated_in_seat_order(plenary)
    assert len(rows) == 204
    assert rows[0].seat_row == 2 and rows[0].seat_number == 1 and rows[0].seat == "2排1座"  # row 1 is reserved
    assert all(i.seat_row != 1 for i in rows)
    expected = sorted(rows, key=lambda i: (i.member.sector.order, i.member.sector_id, i.member.name, i.pk))
    assert [i.pk for i in rows] == [i.pk for i in expected]
    assert rows[20].seat_row == 3 and rows[20].seat_number == 1  # 20 seats a row, then the next row
    xu.refresh_from_db()
    assert xu.seat == "" and xu.seat_row is None
    event = Event.objects.get(action="meeting.seats_assigned", subject_id=plenary.pk)
    assert event.data["seated"] == 204 and event.data["order"] == "sector"


def test_auto_assignment_by_group_keeps_each_group_together(plenary):
    groups = s.groups_by_sector(meeting=plenary, by=user("huiwu"), group_count=3)
    hall(plenary, reserved=())
    seats.seats_auto_assign(meeting=plenary, by=user("huiwu"), order="group")
    rows = seated_in_seat_order(plenary)
    order = [i.group_id for i in rows]
    assert order == sorted(order, key=lambda g: [x.pk for x in groups].index(g))
    assert rows[0].seat == "1排1座"


def test_not_enough_seats_is_refused_and_changes_nothing(plenary):
    hall(plenary, rows=5, per_row=10, reserved=(1,))
    zhu = inv(plenary, "朱政")
    seats.seat_assign(invitation=zhu, by=user("huiwu"), row=3, number=3)
    with pytest.raises(ValidationError, match="座位不足:需要 205 个座位"):
        seats.seats_auto_assign(meeting=plenary, by=user("huiwu"))
    assert Invitation.objects.filter(meeting=plenary, seat_row__isnull=False).count() == 1
    zhu.refresh_from_db()
    assert zhu.seat == "3排3座"
    assert not Event.objects.filter(action="meeting.seats_assigned", subject_id=plenary.pk).exists()


def test_hand_placed_members_in_reserved_rows_keep_their_seats(plenary):
    hall(plenary)
    zhu = inv(plenary, "朱政")
    seats.seat_assign(invitation=zhu, by=user("huiwu"), row=1, number=10)
    seats.seats_auto_assign(meeting=plenary, by=user("huiwu"))
    zhu.refresh_from_db()
    assert (zhu.seat_row, zhu.seat_number, zhu.seat) == (1, 10, "1排10座")
    assert Invitation.objects.filter(meeting=plenary, seat_row=1).count() == 1
    assert Invitation.objects.filter(meeting=plenary, seat_row__isnull=False).count() == 205


def test_a_taken_seat_is_refused_by_name_and_a_swap_exchanges_seats(plenary):
    hall(plenary)
    zhu, xu = inv(plenary, "朱政"), inv(plenary, "徐钢")
    seats.seat_assign(invitation=zhu, by=user("huiwu"), row=2, number=1)
    seats.seat_assign(invitation=xu, by=user("huiwu"), row=2, number=2)
    with pytest.raises(TransitionRefused, match="2排1座 已安排给 朱政"):
        seats.seat_assign(invitation=xu, by=user("huiwu"), row=2, number=1)
    xu.refresh_from_db()
    assert xu.seat == "2排2座"
    seats.seat_assign(invitation=xu, by=user("huiwu"), row=2, number=1, swap=True)
    zhu.refresh_from_db()
    xu.refresh_from_db()
    assert (zhu.seat, xu.seat) == ("2排2座", "2排1座")
    changed = Event.objects.filter(action="invitation.seat_changed", subject_id__in=[zhu.pk, xu.pk])
    assert changed.count() == 4  # two placements, then one event for each side of the swap
    # taking a seat away
    seats.seat_assign(invitation=xu, by=user("huiwu"), row=None, number=None)
    xu.refresh_from_db()
    assert (xu.seat, xu.seat_row) == ("", None)


def test_bad_hall_and_seat_numbers_are_refused_clearly(plenary):
    with pytest.raises(TransitionRefused, match="请先设置会场"):
        seats.seats_auto_assign(meeting=plenary, by=user("huiwu"))
    with pytest.raises(ValidationError, match="排数须在"):
        hall(plenary, rows=0)
    with pytest.raises(ValidationError, match="预留排须在第 1 到第 3 排之间"):
        hall(plenary, rows=3, reserved=(4,))
    assert not SeatPlan.objects.filter(meeting=plenary).exists()
    hall(plenary, rows=3, per_row=5)
    with pytest.raises(ValidationError, match="座号须在 1 到 5 之间"):
        seats.seat_assign(invitation=inv(plenary, "朱政"), by=user("huiwu"), row=2, number=6)
    seats.seat_assign(invitation=inv(plenary, "朱政"), by=user("huiwu"), row=3, number=5)
    with pytest.raises(ValidationError, match="有 1 位委员的座位在新的会场范围之外"):
        hall(plenary, rows=2, per_row=5)
    assert SeatPlan.objects.get(meeting=plenary).rows == 3


def test_clear_and_remove_the_plan(plenary):
    hall(plenary)
    seats.seats_auto_assign(meeting=plenary, by=user("huiwu"))
    assert seats.seats_clear(meeting=plenary, by=user("huiwu")) == 205
    assert not Invitation.objects.filter(meeting=plenary).exclude(seat="").exists()
    assert SeatPlan.objects.filter(meeting=plenary).exists()
    seats.seats_clear(meeting=plenary, by=user("huiwu"), remove_plan=True)
    assert not SeatPlan.objects.filter(meeting=plenary).exists()
    assert Event.objects.filter(action="meeting.seats_cleared", subject_id=plenary.pk).count() == 2


def test_a_closed_meeting_seat_plan_cannot_change(plenary):
    hall(plenary)
    s.meeting_close(meeting=plenary, by=user("huiwu"))
    with pytest.raises(TransitionRefused, match="已结束"):
        seats.seat_assign(invitation=inv(plenary, "朱政"), by=user("huiwu"), row=2, number=1)
    assert inv(plenary, "朱政").seat == ""


def test_the_database_refuses_two_members_in_one_seat(plenary):
    zhu, xu = inv(plenary, "朱政"), inv(plenary, "徐钢")
    Invitation.objects.filter(pk=zhu.pk).update(seat_row=4, seat_number=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.filter(pk=xu.pk).update(seat_row=4, seat_number=4)


def test_two_staff_assigning_the_same_seat_at_once_one_is_refused(transactional_demo):
    from lvzhi.org.models import Committee

    qt = Committee.objects.get(name="杭州市钱塘区政协")
    now = timezone.now()
    meeting = s.meeting_create(
        committee=qt,
        by=user("huiwu"),
        kind="forum",
        title="座谈会",
        place="会议室",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        doors_open_at=now,
    )
    names = ["朱政", "徐钢", "茅徐程", "金志强"]
    s.meeting_invite(meeting=meeting, by=user("huiwu"), members=Member.objects.filter(committee=qt, name__in=names))
    seats.plan_arrange(meeting=meeting, by=user("huiwu"), rows=2, seats_per_row=4)
    invitations = list(Invitation.objects.filter(meeting=meeting).select_related("member", "meeting"))
    assert len(invitations) >= 2
    barrier = threading.Barrier(len(invitations))
    done, refused, errors = [], [], []

    def desk(invitation):
        try:
            barrier.wait()
            seats.seat_assign(invitation=invitation, by=user("huiwu"), row=1, number=1)
            done.append(invitation.member.name)
        except TransitionRefused as e:
            refused.append(e.message)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(i,)) for i in invitations]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert len(done) == 1 and len(refused) == len(invitations) - 1
    assert all("1排1座" in m and done[0] in m for m in refused)
    holder = Invitation.objects.get(meeting=meeting, seat_row=1, seat_number=1)
    assert holder.member.name == done[0] and holder.seat == "1排1座"
    assert Event.objects.filter(action="invitation.seat_changed", data__meeting=meeting.pk).count() == 1


# --------------------------------------------------------------------------- pages


def test_the_seat_page_shows_the_hall_with_names_and_staff_arrange_it(plenary):
    huiwu = client_for("huiwu")
    url = f"/meetings/staff/{plenary.pk}/seats/"
    page = huiwu.get(url).content.decode()
    assert 'data-testid="no-plan"' in page
    assert f'href="{url}"' in huiwu.get(f"/meetings/staff/{plenary.pk}/").content.decode()  # linked
    r = huiwu.post(
        url, {"op": "arrange", "rows": "12", "seats_per_row": "20", "reserved_rows": "1", "reserved_label": "领导席"}
    )
    assert r.status_code == 302
    huiwu.post(url, {"op": "auto", "order": "sector"})
    zhu = inv(plenary, "朱政")
    assert zhu.seat_row and zhu.seat_row >= 2
    page = huiwu.get(url).content.decode()
    assert 'data-testid="seat-grid"' in page and "领导席" in page
    assert f'data-seat="{zhu.seat_row}-{zhu.seat_number}"><span class="no">{zhu.seat_number}</span>朱政</td>' in page
    # by hand, into the leaders' row, and a taken seat refused with a message
    huiwu.post(url, {"op": "assign", "invitation": zhu.pk, "row": "1", "number": "10"})
    zhu.refresh_from_db()
    assert zhu.seat == "1排10座"
    xu = inv(plenary, "徐钢")
    r = huiwu.post(url, {"op": "assign", "invitation": xu.pk, "row": "1", "number": "10"}, follow=True)
    assert "1排10座 已安排给 朱政" in r.content.decode()
    assert inv(plenary, "徐钢").seat != "1排10座"
    # print view
    printed = huiwu.get(f"{url}print/").content.decode()
    assert "座位图" in printed and "朱政" in printed and "sidenav" not in printed


def test_the_member_sees_the_seat_on_the_meeting_page_the_qr_page_and_at_the_door(plenary):
    hall(plenary)
    zhu = inv(plenary, "朱政")
    seats.seat_assign(invitation=zhu, by=user("huiwu"), row=3, number=7)
    member = client_for("zhuzheng")
    assert 'data-testid="my-seat">3排7座<' in member.get(f"/meetings/{plenary.pk}/").content.decode()
    assert "座位 3排7座" in member.get(f"/meetings/{plenary.pk}/qr/").content.decode()
    result = s.check_in_by_qr(meeting=plenary, token=s.qr_token(zhu), by=user("huiwu"))
    assert result.invitation.seat == "3排7座"
    answer = ok(api_for("huiwu").post(f"/meetings/{plenary.pk}/check-in", {"token": s.qr_token(zhu)}))
    assert answer["invitation"]["seat"] == "3排7座"


def test_excel_export_lists_every_member_with_the_seat(plenary):
    from openpyxl import load_workbook

    hall(plenary)
    seats.seats_auto_assign(meeting=plenary, by=user("huiwu"))
    r = client_for("huiwu").get(f"/meetings/staff/{plenary.pk}/seats/seats.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    values = list(sheet.values)
    assert values[0][:5] == ("序号", "座位", "排", "座号", "姓名")
    assert len(values) == 1 + 205
    first = seated_in_seat_order(plenary)[0]
    assert values[1][1:5] == ("2排1座", 2, 1, first.member.name)
    zhu = inv(plenary, "朱政")
    assert any(row[4] == "朱政" and row[1] == zhu.seat for row in values[1:])


def test_wrong_roles_are_refused_and_change_nothing(plenary):
    url = f"/meetings/staff/{plenary.pk}/seats/"
    arrange = {"op": "arrange", "rows": "3", "seats_per_row": "3"}
    member = client_for("zhuzheng")
    assert member.get(url).status_code == 403
    assert member.post(url, arrange).status_code == 403
    assert member.get(f"{url}seats.xlsx").status_code == 403
    leader = client_for("jinzhiqiang")
    assert leader.get(url).status_code == 200  # leaders read every meeting
    assert leader.post(url, arrange).status_code == 403
    assert not SeatPlan.objects.filter(meeting=plenary).exists()
    assert api_for("zhuzheng").post(f"/meetings/{plenary.pk}/seats/auto", {"order": "sector"}).status_code == 403
    assert (
        api_for("jinzhiqiang")
        ._call("put", f"/meetings/{plenary.pk}/seats/plan", {"rows": 3, "seats_per_row": 3})
        .status_code
        == 403
    )
    assert not SeatPlan.objects.filter(meeting=plenary).exists()


def test_another_committees_meeting_is_not_found(hangzhou):
    now = timezone.now()
    meeting = s.meeting_create(
        committee=hangzhou,
        by=user("hz_office"),
        kind="standing",
        title="市政协常委会议",
        place="杭州",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=2),
        doors_open_at=now,
    )
    s.meeting_invite(meeting=meeting, by=user("hz_office"), members=Member.objects.filter(committee=hangzhou))
    invitation = meeting.invitations.first()
    huiwu = client_for("huiwu")
    url = f"/meetings/staff/{meeting.pk}/seats/"
    assert huiwu.get(url).status_code == 404
    assert huiwu.post(url, {"op": "arrange", "rows": "3", "seats_per_row": "3"}).status_code == 404
    assert huiwu.get(f"{url}seats.xlsx").status_code == 404
    api = api_for("huiwu")
    assert api.get(f"/meetings/{meeting.pk}/seats").status_code == 404
    assert api._call("put", f"/meetings/{meeting.pk}/seats/plan", {"rows": 3, "seats_per_row": 3}).status_code == 404
    seat = {"row": 1, "number": 1}
    assert api.post(f"/meetings/{meeting.pk}/invitations/{invitation.pk}/seat", seat).status_code == 404
    assert not SeatPlan.objects.filter(meeting=meeting).exists()


# --------------------------------------------------------------------------- API


def test_the_api_arranges_assigns_swaps_lists_and_clears(plenary):
    api = api_for("huiwu")
    base = f"/meetings/{plenary.pk}"
    got = ok(api._call("put", f"{base}/seats/plan", {"rows": 12, "seats_per_row": 20, "reserved_rows": [1]}))
    assert got["plan"] == {"rows": 12, "seats_per_row": 20, "reserved_rows": [1], "reserved_label": ""}
    assert got["seated"] == 0 and len(got["items"]) == 205
    got = ok(api.post(f"{base}/seats/auto", {"order": "sector"}))
    assert got["seated"] == 205 and got["items"][0]["seat"] == "2排1座"
    zhu, xu = inv(plenary, "朱政"), inv(plenary, "徐钢")
    seat = ok(api.post(f"{base}/invitations/{zhu.pk}/seat", {"row": 1, "number": 1}))
    assert seat["seat"] == "1排1座" and seat["member"]["name"] == "朱政"
    refused = api.post(f"{base}/invitations/{xu.pk}/seat", {"row": 1, "number": 1})
    assert refused.status_code == 409 and "朱政" in refused.json()["detail"]
    before = inv(plenary, "徐钢").seat
    seat = ok(api.post(f"{base}/invitations/{xu.pk}/seat", {"row": 1, "number": 1, "swap": True}))
    assert seat["seat"] == "1排1座" and inv(plenary, "朱政").seat == before
    assert api.post(f"{base}/invitations/{xu.pk}/seat", {"row": 1}).status_code == 422
    assert api.post(f"{base}/invitations/{xu.pk}/seat", {"row": 13, "number": 1}).status_code == 422
    assert api.post(f"{base}/seats/auto", {"order": "random"}).status_code == 422
    listed = ok(api.get(f"{base}/seats"))
    assert {i["member"]["name"]: i["seat"] for i in listed["items"]}["徐钢"] == "1排1座"
    got = ok(api.post(f"{base}/seats/clear", {}))
    assert got["seated"] == 0 and got["plan"] is not None
    got = ok(api.post(f"{base}/seats/clear", {"remove_plan": True}))
    assert got["plan"] is None
    small = api._call("put", f"{base}/seats/plan", {"rows": 2, "seats_per_row": 2})
    assert small.status_code == 200
    assert api.post(f"{base}/seats/auto", {}).status_code == 422  # 4 seats for 205 members
