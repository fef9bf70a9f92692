"""Every write of duty activities: atomic, through the workflow engine (row lock + event), notifications on
commit. Services enforce the rules and raise TransitionRefused / ValidationError / PermissionDenied with a
clear message; a refusal changes nothing.

Capacity: a sign-up, a cancellation and a change of capacity each take the activity's row lock first, so
two members taking the last seat at the same moment are one confirmed and one waitlisted.

Check-in reuses the meetings: publishing an activity creates a meetings.Meeting of kind "activity" behind it
(published with it); each confirmed sign-up is an Invitation of that meeting (lvzhi.meetings.services), so
the door page, the signed QR code, the six-digit self check-in and closing (absent) are the meetings' own,
and so are the attendance events the duty evaluation counts."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events
from lvzhi.core.config import setting
from lvzhi.core.notify import notify
from lvzhi.core.roles import Role
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.meetings import services as meetings
from lvzhi.meetings.models import Invitation, Meeting
from lvzhi.meetings.workflow import MEETING
from lvzhi.org.models import Member

from .models import Activity, SignUp
from .workflow import ACTIVITY, SIGNUP

events.ACTION_LABELS.update(
    {
        "activity.created": gettext_lazy("创建活动"),
        "activity.updated": gettext_lazy("修改活动"),
        "activity.signed_up": gettext_lazy("报名活动"),
        "activity.report_submitted": gettext_lazy("提交活动报告"),
        "activity.photo_added": gettext_lazy("上传活动照片"),
        "activity.photo_deleted": gettext_lazy("删除活动照片"),
        "activity.outcome_added": gettext_lazy("添加活动成果"),
        "activity.outcome_deleted": gettext_lazy("删除活动成果"),
        "reading.recorded": gettext_lazy("记录读书"),
        "reading.book_added": gettext_lazy("添加图书"),
        "reading.group_saved": gettext_lazy("保存读书小组"),
    }
)

FIELDS = [
    "kind",
    "title",
    "description",
    "place",
    "starts_at",
    "ends_at",
    "signup_deadline",
    "capacity",
    "organiser_special",
    "organiser_studio",
    "audience",
    "audience_sector",
    "audience_special",
    "audience_studio",
    "self_checkin",
]
LIVE = ("confirmed", "waitlisted")
# The meetings workflow lets meetings staff publish, cancel and close meetings; an activity's meeting is
# driven by the activity, whose own transition was already checked against activities staff.
AS_MEETINGS = frozenset({Role.STAFF_MEETINGS})


def url_of(activity: Activity) -> str:
    return f"/activities/{activity.pk}/"


# --------------------------------------------------------------------------- create, edit


def _check(a: Activity) -> None:
    errors = {}
    if a.kind not in Activity.Kind.values:
        errors["kind"] = _("请选择活动类型。")
    if not (a.title or "").strip():
        errors["title"] = _("请填写活动名称。")
    if not (a.place or "").strip():
        errors["place"] = _("请填写活动地点。")
    if a.starts_at and a.ends_at and a.ends_at <= a.starts_at:
        errors["ends_at"] = _("结束时间须晚于开始时间。")
    if a.signup_deadline and a.starts_at and a.signup_deadline > a.starts_at:
        errors["signup_deadline"] = _("报名截止时间不能晚于活动开始时间。")
    if a.capacity is not None and a.capacity < 1:
        errors["capacity"] = _("名额须至少为 1;不限名额请留空。")
    if a.organiser_special_id and a.organiser_studio_id:
        errors["organiser_studio"] = _("主办方只能选专委会或委员工作室之一。")
    for name in ("organiser_special", "organiser_studio", "audience_sector", "audience_special", "audience_studio"):
        value = getattr(a, name)
        if value is not None and value.committee_id != a.committee_id:
            errors[name] = _("所选项目不属于本委员会。")
    needed = {
        Activity.Audience.SECTOR: ("audience_sector", _("请选择可报名的界别。")),
        Activity.Audience.SPECIAL: ("audience_special", _("请选择可报名的专委会。")),
        Activity.Audience.STUDIO: ("audience_studio", _("请选择可报名的委员工作室。")),
    }
    if a.audience not in Activity.Audience.values:
        errors["audience"] = _("请选择报名范围。")
    elif a.audience in needed:
        name, message = needed[a.audience]
        if getattr(a, name + "_id") is None:
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    # only the target of the chosen audience is kept
    for audience, name in (
        (Activity.Audience.SECTOR, "audience_sector"),
        (Activity.Audience.SPECIAL, "audience_special"),
        (Activity.Audience.STUDIO, "audience_studio"),
    ):
        if a.audience != audience:
            setattr(a, name, None)


@transaction.atomic
def activity_create(*, committee, by, **values) -> Activity:
    activity = Activity(committee=committee, created_by=by, **{k: v for k, v in values.items() if k in FIELDS})
    activity.title = (activity.title or "").strip()
    activity.place = (activity.place or "").strip()
    _check(activity)
    activity.save()
    events.record(subject=activity, action="activity.created", actor=by, to_state=activity.state)
    return activity


def _meeting_values(activity: Activity) -> dict:
    opens = dt.timedelta(minutes=setting(activity.committee, "activities.checkin_opens_minutes"))
    return {
        "title": activity.title,
        "place": activity.place,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "doors_open_at": activity.starts_at - opens,
        "self_checkin": activity.self_checkin,
    }


@transaction.atomic
def activity_update(*, activity: Activity, by, **values) -> Activity:
    """Edit a draft or published activity. A larger capacity promotes waitlisted members; a capacity below
    the confirmed sign-ups is refused. The meeting behind a published activity follows its time and place."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.state in ("closed", "cancelled"):
        raise TransitionRefused(_("活动已结束或已取消,不能修改。"))
    changed = []
    for k, v in values.items():
        if k in FIELDS and getattr(locked, k) != v:
            setattr(locked, k, v.strip() if isinstance(v, str) else v)
            changed.append(k)
    _check(locked)
    confirmed = locked.signups.filter(state="confirmed").count()
    if locked.capacity is not None and locked.capacity < confirmed:
        raise ValidationError(
            {"capacity": _("已有 %(n)s 人报名成功,名额不能少于 %(n)s。请先联系委员取消报名。") % {"n": confirmed}}
        )
    locked.save()
    if changed:
        events.record(subject=locked, action="activity.updated", actor=by, data={"fields": changed})
    if locked.meeting_id:
        meetings.meeting_update(meeting=locked.meeting, by=by, **_meeting_values(locked))
    if "capacity" in changed:
        _promote(locked)
    for name in changed:
        setattr(activity, name, getattr(locked, name))
    return locked


def activity_publish(*, activity: Activity, by):
    """Publish: the activity opens for sign-up, and the meeting behind it (kind "activity") is created and
    published for its check-in. Eligible members are told in the app."""
    with transaction.atomic():

        def create_meeting(locked: Activity) -> None:
            if locked.meeting_id:
                return
            meeting = meetings.meeting_create(
                committee=locked.committee, by=by, kind=Meeting.Kind.ACTIVITY, **_meeting_values(locked)
            )
            apply(MEETING, meeting, "publish", by=by, roles=AS_MEETINGS, data={"activity": locked.pk})
            locked.meeting = meeting

        event = apply(ACTIVITY, activity, "publish", by=by, on_apply=create_meeting)
        activity.refresh_from_db()
        users = [m.user for m in eligible_members(activity).select_related("user") if m.user_id]
        notify(
            committee=activity.committee,
            users=users,
            title=_("活动报名:%(title)s") % {"title": activity.title},
            body=_("%(kind)s · %(when)s · %(place)s,报名截止 %(deadline)s。")
            % {
                "kind": activity.get_kind_display(),
                "when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"),
                "place": activity.place,
                "deadline": timezone.localtime(activity.signup_deadline).strftime("%m-%d %H:%M"),
            },
            url=url_of(activity),
        )
    return event


def activity_close(*, activity: Activity, by):
    """End the activity after it started: confirmed members who did not check in are marked absent by the
    meetings' close (their attendance events)."""
    if timezone.now() < activity.starts_at:
        raise TransitionRefused(_("活动尚未开始,不能结束;如不再举办,请取消活动。"))
    with transaction.atomic():
        event = apply(ACTIVITY, activity, "close", by=by)
        if activity.meeting_id:
            meeting = Meeting.objects.get(pk=activity.meeting_id)
            if meeting.state == "published":
                meetings.meeting_close(meeting=meeting, by=None)
    return event


def activity_cancel(*, activity: Activity, by, reason: str):
    """Cancel a draft or published activity; every member signed up (or waiting) is told, with the reason."""
    with transaction.atomic():
        event = apply(ACTIVITY, activity, "cancel", by=by, reason=reason)
        if activity.meeting_id:
            meeting = Meeting.objects.get(pk=activity.meeting_id)
            if meeting.state in ("draft", "published"):
                apply(MEETING, meeting, "cancel", by=by, reason=reason, roles=AS_MEETINGS)
        signed = SignUp.objects.filter(activity=activity, state__in=LIVE).select_related("member__user")
        notify(
            committee=activity.committee,
            users=[s.member.user for s in signed if s.member.user_id],
            title=_("活动取消:%(title)s") % {"title": activity.title},
            body=reason.strip(),
            url=url_of(activity),
            channels=("inapp", "sms"),
        )
    return event


# --------------------------------------------------------------------------- who may sign up


def eligible_members(activity: Activity):
    qs = Member.objects.for_committee(activity.committee).filter(state=Member.State.ACTIVE)
    if activity.audience == Activity.Audience.SECTOR:
        return qs.filter(sector_id=activity.audience_sector_id)
    if activity.audience == Activity.Audience.SPECIAL:
        return qs.filter(special_committees=activity.audience_special_id)
    if activity.audience == Activity.Audience.STUDIO:
        return qs.filter(studio_id=activity.audience_studio_id)
    return qs


def is_eligible(activity: Activity, member: Member) -> bool:
    if member.committee_id != activity.committee_id or member.state != Member.State.ACTIVE:
        return False
    if activity.audience == Activity.Audience.SECTOR:
        return member.sector_id == activity.audience_sector_id
    if activity.audience == Activity.Audience.SPECIAL:
        return member.special_committees.filter(pk=activity.audience_special_id).exists()
    if activity.audience == Activity.Audience.STUDIO:
        return member.studio_id == activity.audience_studio_id
    return True


def refusal(activity: Activity, member: Member, *, now=None) -> str | None:
    """Why `member` cannot sign up now, or None. The same checks run again under the lock in sign_up."""
    now = now or timezone.now()
    if activity.state != "published":
        return _("活动未在报名中(%(state)s),不能报名。") % {"state": ACTIVITY.state_label(activity.state)}
    if now > activity.signup_deadline:
        return _("报名已于 %(when)s 截止。") % {
            "when": timezone.localtime(activity.signup_deadline).strftime("%Y-%m-%d %H:%M")
        }
    if not is_eligible(activity, member):
        return _("本活动限%(who)s报名,您不在报名范围内。") % {"who": activity.audience_label}
    live = SignUp.objects.filter(activity=activity, member=member, state__in=LIVE).first()
    if live is not None:
        if live.state == "confirmed":
            return _("您已报名本活动,无需重复报名。")
        return _("您已在候补名单中(第 %(n)s 位),无需重复报名。") % {"n": waitlist_position(live)}
    return None


def waitlist_position(signup: SignUp) -> int | None:
    if signup.state != "waitlisted":
        return None
    return SignUp.objects.filter(activity_id=signup.activity_id, state="waitlisted", id__lt=signup.pk).count() + 1


# --------------------------------------------------------------------------- sign-up, cancel, promotion


def _invite(activity: Activity, member: Member) -> None:
    """The confirmed member becomes an invited member of the activity's meeting (for the check-in)."""
    if activity.meeting_id is None:
        return
    meeting = Meeting.objects.get(pk=activity.meeting_id)
    if not Invitation.objects.filter(meeting=meeting, member=member).exists():
        meetings.meeting_invite(meeting=meeting, by=None, members=[member], announce=False)


def _uninvite(activity: Activity, member: Member) -> None:
    """A cancelled sign-up leaves the meeting's list, unless the member has checked in (refused earlier)."""
    if activity.meeting_id is None:
        return
    Invitation.objects.filter(
        meeting_id=activity.meeting_id, member=member, state__in=["invited", "registered"]
    ).delete()


@transaction.atomic
def sign_up(*, activity: Activity, member: Member, by) -> SignUp:
    """Sign a member up: confirmed while seats remain, otherwise on the waiting list (in order)."""
    if member.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("只能为自己报名。"))
    locked = Activity.objects.select_for_update().select_related("committee").get(pk=activity.pk)
    message = refusal(locked, member)
    if message:
        raise TransitionRefused(message)
    confirmed = SignUp.objects.filter(activity=locked, state="confirmed").count()
    full = locked.capacity is not None and confirmed >= locked.capacity
    now = timezone.now()
    signup = SignUp.objects.create(
        committee=locked.committee,
        activity=locked,
        member=member,
        state="waitlisted" if full else "confirmed",
        confirmed_at=None if full else now,
    )
    if not full:
        _invite(locked, member)
    events.record(
        subject=signup,
        action="activity.signed_up",
        actor=by,
        to_state=signup.state,
        data={"activity": locked.pk, "member": member.pk},
    )
    return signup


def _promote(activity: Activity) -> list[SignUp]:
    """Fill free seats from the waiting list, first come first served (the caller holds the activity lock)."""
    if activity.state != "published":
        return []
    promoted = []
    while True:
        if activity.capacity is not None:
            if SignUp.objects.filter(activity=activity, state="confirmed").count() >= activity.capacity:
                break
        first = (
            SignUp.objects.filter(activity=activity, state="waitlisted")
            .select_related("member__user")
            .order_by("id")
            .first()
        )
        if first is None:
            break
        apply(
            SIGNUP, first, "promote", by=None, changes={"confirmed_at": timezone.now()}, data={"activity": activity.pk}
        )
        _invite(activity, first.member)
        promoted.append(first)
    for s in promoted:
        notify(
            committee=activity.committee,
            users=[s.member.user] if s.member.user_id else [],
            title=_("候补成功:%(title)s") % {"title": activity.title},
            body=_("有委员取消报名,您已由候补转为正式报名。%(when)s · %(place)s")
            % {"when": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"), "place": activity.place},
            url=url_of(activity),
            channels=("inapp", "sms"),
        )
    return promoted


@transaction.atomic
def sign_up_cancel(*, signup: SignUp, by) -> SignUp:
    """Cancel one's sign-up (or staff cancel it). A freed seat goes to the first on the waiting list."""
    locked_activity = Activity.objects.select_for_update().select_related("committee").get(pk=signup.activity_id)
    signup = SignUp.objects.select_related("member").get(pk=signup.pk)
    own = signup.member.user_id == getattr(by, "pk", None)
    if not own and not by.has_perm("activities.manage", locked_activity.committee):
        raise PermissionDenied(_("只能取消自己的报名。"))
    if signup.state not in LIVE:
        raise TransitionRefused(_("该报名已取消。"))
    if locked_activity.state != "published":
        raise TransitionRefused(_("活动已结束或已取消,不能再取消报名。"))
    if signup.state == "confirmed" and timezone.now() >= locked_activity.starts_at:
        raise TransitionRefused(_("活动已经开始,不能取消报名;如不能参加,请联系工作人员。"))
    if (
        locked_activity.meeting_id
        and Invitation.objects.filter(
            meeting_id=locked_activity.meeting_id, member=signup.member, state="present"
        ).exists()
    ):
        raise TransitionRefused(_("已签到,不能取消报名。"))
    was = signup.state
    apply(
        SIGNUP,
        signup,
        "cancel",
        by=by,
        changes={"cancelled_at": timezone.now()},
        data={"activity": locked_activity.pk, "by_staff": not own},
    )
    if was == "confirmed":
        _uninvite(locked_activity, signup.member)
        _promote(locked_activity)
    if not own and signup.member.user_id:
        notify(
            committee=locked_activity.committee,
            users=[signup.member.user],
            title=_("您的活动报名已被取消:%(title)s") % {"title": locked_activity.title},
            url=url_of(locked_activity),
        )
    return signup


# --------------------------------------------------------------------------- check-in (the meetings' own)


def invitation_of(activity: Activity, member: Member) -> Invitation | None:
    if activity.meeting_id is None:
        return None
    invitation = (
        Invitation.objects.filter(meeting_id=activity.meeting_id, member=member)
        .select_related("member", "meeting")
        .first()
    )
    return invitation


def self_check_in(*, activity: Activity, member: Member, code: str, by):
    """A confirmed member checks in with the six-digit code shown on site (meetings.check_in_by_code)."""
    if activity.meeting_id is None or activity.state != "published":
        raise TransitionRefused(_("活动未在进行中,不能签到。"))
    if invitation_of(activity, member) is None:
        raise TransitionRefused(_("您没有报名成功(或仍在候补),不能签到。"))
    meeting = Meeting.objects.get(pk=activity.meeting_id)
    return meetings.check_in_by_code(meeting=meeting, member=member, code=code, by=by)
