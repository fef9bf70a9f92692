"""A duty activity in Chromium: 专委会 staff (zhuanwei) creates a 视察 with two seats on a desktop and publishes
it; three members sign up on 375 px phones: the first two are confirmed, the third is put on the waiting list
(position 1); the first cancels, and the third is promoted (confirmed, with the check-in QR code); the staff
page lists the sign-ups and the empty waiting list."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.activities.models import Activity, SignUp
from lvzhi.meetings.models import Invitation
from tests.activities.conftest import members_with_accounts
from tests.browser.conftest import DESKTOP, PHONE, _page, log_in

TITLE = "钱塘江海塘安澜工程视察(演练)"


@pytest.fixture
def people(browser, site):
    from lvzhi.org.models import Committee

    qt = Committee.objects.get(name="杭州市钱塘区政协")
    members = members_with_accounts(qt, 3)
    contexts, pages = [], {}
    for key, username, options in (
        ("staff", "zhuanwei", DESKTOP),
        *[(f"m{i}", m.user.username, PHONE) for i, m in enumerate(members)],
    ):
        context, page = _page(browser, options)
        page.on("dialog", lambda dialog: dialog.accept())
        page.set_default_timeout(45000)
        log_in(page, site, username)
        contexts.append(context)
        pages[key] = page
    pages["members"] = members
    yield pages
    for context in contexts:
        context.close()


def _post(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _fits_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url


def test_sign_up_to_capacity_then_the_waiting_list_then_promotion(site, people):
    staff, members = people["staff"], people["members"]
    phones = [people["m0"], people["m1"], people["m2"]]
    now = timezone.now()

    # staff create and publish
    staff.goto(f"{site}/activities/staff/new/")
    staff.select_option("select[name=kind]", "inspection")
    staff.fill("input[name=title]", TITLE)
    staff.fill("input[name=place]", "钱塘江海塘义蓬段")
    staff.fill("input[name=starts_at]", _local(now + dt.timedelta(days=3)))
    staff.fill("input[name=ends_at]", _local(now + dt.timedelta(days=3, hours=2)))
    staff.fill("input[name=signup_deadline]", _local(now + dt.timedelta(days=2)))
    staff.fill("input[name=capacity]", "2")
    _post(staff, "[data-testid=save-activity]")
    _post(staff, "[data-testid=action-publish]")
    activity = Activity.objects.get(title=TITLE)
    assert activity.state == "published" and activity.meeting.kind == "activity"

    # two members take the two seats, the third is waitlisted
    for i, phone in enumerate(phones):
        phone.goto(f"{site}/activities/")
        phone.locator("[data-testid=activity-row]", has_text=TITLE).first.click()
        phone.wait_for_load_state()
        _fits_phone(phone)
        _post(phone, "[data-testid=signup]")
        state = phone.get_by_test_id("my-state").inner_text()
        if i < 2:
            assert "已报名" in state
            assert phone.get_by_test_id("qr").is_visible()
        else:
            assert "候补" in state and "第 1 位" in state
            assert phone.get_by_test_id("waitlisted").is_visible()
            assert phone.get_by_test_id("qr").count() == 0
        _fits_phone(phone)
    assert list(SignUp.objects.filter(activity=activity).order_by("id").values_list("state", flat=True)) == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    staff.goto(f"{site}/activities/staff/{activity.pk}/")
    assert staff.get_by_test_id("confirmed-row").count() == 2
    assert staff.get_by_test_id("waitlisted-row").count() == 1
    assert members[2].name in staff.get_by_test_id("waitlist").inner_text()

    # the first cancels: the waitlisted member is promoted
    _post(phones[0], "[data-testid=cancel-signup]")
    assert phones[0].get_by_test_id("signup").is_visible()
    phones[2].goto(f"{site}/activities/{activity.pk}/")
    assert "已报名" in phones[2].get_by_test_id("my-state").inner_text()
    assert phones[2].get_by_test_id("qr").is_visible()
    _fits_phone(phones[2])
    staff.goto(f"{site}/activities/staff/{activity.pk}/")
    assert staff.get_by_test_id("confirmed-row").count() == 2
    assert staff.get_by_test_id("waitlisted-row").count() == 0
    invited = set(Invitation.objects.filter(meeting=activity.meeting).values_list("member_id", flat=True))
    assert invited == {members[1].pk, members[2].pk}
    for page in (staff, *phones):
        assert page.js_errors == []
