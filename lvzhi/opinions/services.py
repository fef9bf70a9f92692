"""Every write on public-opinion reports. Views and the API call these; the rules live here.

Refusals raise TransitionRefused (state, duplicates: 409) or ValidationError (input: 422) or
PermissionDenied, always with a clear Chinese message, and nothing is changed (each write is one
transaction; rows that decide a rule are locked with select_for_update)."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events, uploads
from lvzhi.core.config import setting
from lvzhi.core.notify import notify
from lvzhi.core.roles import SYSTEM, Role
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.org.models import Committee, Member, Membership

from .models import Adoption, Attachment, BulletinIssue, Instruction, Level, OpinionReport, ReportAuthor, Reporter
from .workflow import HANDLING, REPORT

events.ACTION_LABELS.update(
    {
        "opinion.edit": gettext_lazy("采编修改"),
        "opinion.combined": gettext_lazy("合并其他信息"),
        "opinion.forward": gettext_lazy("报送上级政协"),
        "opinion.forwarded_in": gettext_lazy("收到下级政协报送"),
        "opinion.adopt": gettext_lazy("记录采用"),
        "opinion.adopt_recorded": gettext_lazy("记录采用"),
        "opinion.instruct": gettext_lazy("记录领导批示"),
        "opinion.instruct_recorded": gettext_lazy("记录领导批示"),
        "opinion.from_proposal": gettext_lazy("由提案转为社情民意"),
        "opinion.attachment_added": gettext_lazy("添加附件"),
    }
)

TEXT_FIELDS = ("title", "situation", "suggestion")
EDITABLE_BY_AUTHOR = ("draft", "revising")
LEVEL_ORDER = [Level.DISTRICT, Level.CITY, Level.PROVINCE, Level.NATIONAL]


# --------------------------------------------------------------------------- who


def member_of(committee, user) -> Member | None:
    if user is None or not user.is_authenticated:
        return None
    return Member.objects.for_committee(committee).filter(user=user).first()


def reporter_of(committee, user) -> Reporter | None:
    if user is None or not user.is_authenticated:
        return None
    return Reporter.objects.for_committee(committee).filter(user=user).select_related("contact_point", "studio").first()


def authors(report: OpinionReport) -> list[Member]:
    return [row.member for row in report.author_rows.select_related("member__sector", "member__user")]


def is_owner(report: OpinionReport, user) -> bool:
    """The person who wrote it (submitted_by) or its lead author may change and submit it."""
    if report.submitted_by_id == user.pk:
        return True
    lead = report.author_rows.select_related("member").first()
    return bool(lead and lead.member.user_id == user.pk)


def is_reader(report: OpinionReport, user) -> bool:
    """The writer and every author read the report on their phone pages."""
    return report.submitted_by_id == user.pk or report.author_rows.filter(member__user=user).exists()


def can_see_private(report: OpinionReport, user) -> bool:
    """Residents' private data: the opinions staff of the report's committee and the person who entered it."""
    return user.has_perm("opinions.edit", report.committee) or report.submitted_by_id == user.pk


def _require_staff(committee, by, perm="opinions.edit") -> None:
    if by is None or not by.has_perm(perm, committee):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _event_credit(report: OpinionReport) -> dict:
    people = authors(report)
    return {"members": [m.pk for m in people], "lead": people[0].pk if people else None}


def _notify_authors(report: OpinionReport, title: str, body: str = "") -> None:
    root = report.root or report
    users = [m.user for m in authors(root) if m.user_id]
    users.append(root.submitted_by)
    notify(committee=root.committee, users=users, title=title, body=body, url=f"/opinions/{root.pk}/")


# --------------------------------------------------------------------------- checks


def topics(committee) -> list[str]:
    return [str(_(t)) for t in setting(committee, "opinions.topics")]


def check_text(committee, values: dict, *, final: bool) -> None:
    """The title, the length limit (situation + suggestion) and, when `final`, the required parts."""
    errors = {}
    title = (values.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写标题。")
    elif len(title) > 120:
        errors["title"] = _("标题不能超过 120 个字。")
    limit = setting(committee, "opinions.max_chars")
    length = len(values.get("situation") or "") + len(values.get("suggestion") or "")
    if length > limit:
        errors["situation"] = _("情况和建议合计 %(n)s 字,超过了 %(max)s 字的限制(一事一报),请精简。") % {
            "n": length,
            "max": limit,
        }
    if final:
        if not (values.get("situation") or "").strip():
            errors.setdefault("situation", _("请填写情况。"))
        if not (values.get("suggestion") or "").strip():
            errors["suggestion"] = _("请填写建议。")
    topic = values.get("topic")
    if topic and topic not in topics(committee):
        errors["topic"] = _("请从给定的类别中选择。")
    if errors:
        raise ValidationError(errors)


def attachment_check(committee, upload) -> str:
    """Refuse a file of a type, size or content the committee does not accept; return its extension."""
    _name, ext = uploads.check(
        upload,
        allowed=setting(committee, "opinions.attachment_types"),
        max_mb=setting(committee, "opinions.attachment_max_mb"),
    )
    return ext


def _store(report: OpinionReport, upload, ext: str, by) -> Attachment:
    attachment = Attachment(
        committee=report.committee,
        report=report,
        name=uploads.clean_name(upload.name),
        size=upload.size,
        content_type=uploads.CONTENT_TYPES.get(ext, "application/octet-stream"),
        uploaded_by=by,
    )
    attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
    attachment.save()
    return attachment


# --------------------------------------------------------------------------- the writer


def _set_authors(report: OpinionReport, members) -> None:
    report.author_rows.all().delete()
    seen = []
    for member in members:
        if member.pk not in seen:
            seen.append(member.pk)
            ReportAuthor.objects.create(committee=report.committee, report=report, member=member, order=len(seen))


@transaction.atomic
def draft_save(
    *, committee, by, values: dict, report: OpinionReport | None = None, co_authors=None, uploads=()
) -> OpinionReport:
    """Save a new draft or change one's own draft (or a report sent back). Members are its lead author;
    reporters (信息员) write for their contact point or studio and may name members as authors
    (`co_authors`: further authors after the writer; None keeps those named before). A refused text or
    attachment saves nothing."""
    if not by.has_perm("opinions.submit", committee):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if report is not None:
        report = OpinionReport.objects.for_committee(committee).select_for_update().get(pk=report.pk)
        if not is_owner(report, by):
            raise PermissionDenied(_("只有报送人可以修改这条信息。"))
        if report.state not in EDITABLE_BY_AUTHOR:
            raise TransitionRefused(_("只有草稿或退回修改的信息可以修改。"))
    check_text(committee, values, final=False)
    uploads = list(uploads)
    exts = [attachment_check(committee, u) for u in uploads]
    have = report.attachments.count() if report else 0
    limit = setting(committee, "opinions.max_attachments")
    if have + len(uploads) > limit:
        raise ValidationError({"files": _("每条信息最多 %(n)s 个附件。") % {"n": limit}})
    me = member_of(committee, by)
    reporter = reporter_of(committee, by)
    source, contact_point, studio = OpinionReport.Source.MEMBER, None, None
    wanted = values.get("source") or ""
    if reporter is not None and (me is None or wanted in ("contact_point", "studio")):
        if (wanted == "studio" and reporter.studio_id) or not reporter.contact_point_id:
            source, studio = OpinionReport.Source.STUDIO, reporter.studio
        else:
            source, contact_point = OpinionReport.Source.CONTACT_POINT, reporter.contact_point
    elif me is None:
        raise PermissionDenied(_("您不是本委员会的委员,也没有登记为信息员。"))
    fields = {
        "title": values["title"].strip(),
        "topic": values.get("topic") or "",
        "situation": (values.get("situation") or "").strip(),
        "suggestion": (values.get("suggestion") or "").strip(),
        "resident_name": (values.get("resident_name") or "").strip(),
        "resident_phone": (values.get("resident_phone") or "").strip(),
        "resident_notes": (values.get("resident_notes") or "").strip(),
        "source": source,
        "contact_point": contact_point,
        "studio": studio,
    }
    if report is None:
        report = OpinionReport.objects.create(committee=committee, submitted_by=by, **fields)
        events.record(subject=report, action="opinion.create", actor=by)
    else:
        for name, value in fields.items():
            setattr(report, name, value)
        report.save()
    people = [me] if (me and source == OpinionReport.Source.MEMBER) else []
    if co_authors is None:  # not given: keep the further authors named before
        extra = [m for m in authors(report) if m not in people]
    else:
        extra = list(co_authors)
    for member in extra:
        if member.committee_id != committee.id:
            raise ValidationError({"authors": _("作者须是本委员会的委员。")})
    _set_authors(report, people + extra)
    for upload, ext in zip(uploads, exts, strict=True):
        _store(report, upload, ext, by)
    return report


events.ACTION_LABELS.setdefault("opinion.create", gettext_lazy("新建"))


def report_submit(*, report: OpinionReport, by):
    if not is_owner(report, by):
        raise PermissionDenied(_("只有报送人可以提交这条信息。"))
    values = {f: getattr(report, f) for f in (*TEXT_FIELDS, "topic")}
    check_text(report.committee, values, final=True)
    now = timezone.now()
    return apply(
        REPORT,
        report,
        "submit",
        by=by,
        changes={
            "submitted_at": now,
            "original_title": report.title,
            "original_situation": report.situation,
            "original_suggestion": report.suggestion,
        },
    )


def report_withdraw(*, report: OpinionReport, by, reason: str = ""):
    if not is_owner(report, by):
        raise PermissionDenied(_("只有报送人可以撤回这条信息。"))
    return apply(REPORT, report, "withdraw", by=by, reason=reason)


# --------------------------------------------------------------------------- staff: editing (采编)


@transaction.atomic
def report_edit(*, report: OpinionReport, by, values: dict) -> list[str]:
    """采编: staff change the text; the submitted text stays in original_*; the event says what changed."""
    _require_staff(report.committee, by)
    locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
    if locked.state not in HANDLING:
        raise TransitionRefused(_("当前状态为「%(state)s」,不能采编。") % {"state": REPORT.state_label(locked.state)})
    merged = {f: values.get(f, getattr(locked, f)) for f in (*TEXT_FIELDS, "topic")}
    merged = {k: (v or "").strip() for k, v in merged.items()}
    check_text(locked.committee, merged, final=True)
    changed = [f for f, v in merged.items() if v != getattr(locked, f)]
    if not changed:
        return []
    if locked.state == "submitted":
        apply(REPORT, locked, "start_edit", by=by)
    data = {"fields": changed}
    for f in changed:
        if f != "topic":
            data[f"{f}_chars"] = [len(getattr(locked, f)), len(merged[f])]
        setattr(locked, f, merged[f])
    locked.edited_at = timezone.now()
    locked.save()
    events.record(subject=locked, action="opinion.edit", actor=by, data=data)
    for f in (*TEXT_FIELDS, "topic", "state", "edited_at"):
        setattr(report, f, getattr(locked, f))
    return changed


def report_send_back(*, report, by, reason: str):
    event = apply(REPORT, report, "send_back", by=by, reason=reason)
    _notify_authors(report, _("您报送的社情民意信息被退回修改:%(t)s") % {"t": report.title}, reason)
    return event


def report_accept(*, report, by):
    return apply(REPORT, report, "accept", by=by)


def report_reopen(*, report, by):
    return apply(REPORT, report, "reopen", by=by)


def report_not_use(*, report, by, reason: str):
    event = apply(REPORT, report, "not_use", by=by, reason=reason)
    _notify_authors(report, _("您报送的社情民意信息未予编发:%(t)s") % {"t": report.title}, reason)
    return event


@transaction.atomic
def report_combine(*, target: OpinionReport, others, by) -> list:
    """Combine `others` into `target`: they leave the queue (state combined), their authors are added
    to the target's authors after its own (all keep the credit)."""
    _require_staff(target.committee, by)
    target = OpinionReport.objects.select_for_update().get(pk=target.pk)
    if target.state not in HANDLING:
        raise TransitionRefused(_("只能合并到待采编、采编中或拟编发的信息。"))
    others = [o for o in others]
    if not others:
        raise ValidationError(_("请至少选择一条要合并的信息。"))
    order = (target.author_rows.aggregate(m=Max("order"))["m"] or 0) + 1
    have = set(target.author_rows.values_list("member_id", flat=True))
    done = []
    for other in others:
        if other.pk == target.pk or other.committee_id != target.committee_id:
            raise ValidationError(_("不能把信息合并到它自己或其他委员会的信息。"))
        done.append(apply(REPORT, other, "combine", by=by, changes={"combined_into": target}, data={"into": target.pk}))
        for member in authors(other):
            if member.pk not in have:
                have.add(member.pk)
                ReportAuthor.objects.create(committee=target.committee, report=target, member=member, order=order)
                order += 1
    events.record(subject=target, action="opinion.combined", actor=by, data={"from": [o.pk for o in others]})
    return done


# --------------------------------------------------------------------------- bulletin issues (期)


def issue_create(*, committee, by, date: dt.date | None = None, title: str = "") -> BulletinIssue:
    """A new issue of this year's bulletin: its number is the next one under a lock on the committee row,
    so two staff creating issues at the same moment get consecutive numbers (no duplicate, no gap)."""
    _require_staff(committee, by)
    date = date or timezone.localdate()
    with transaction.atomic():
        Committee.objects.select_for_update().get(pk=committee.pk)
        last = (
            BulletinIssue.objects.for_committee(committee).filter(year=date.year).aggregate(n=Max("number"))["n"] or 0
        )
        issue = BulletinIssue.objects.create(
            committee=committee, year=date.year, number=last + 1, date=date, title=title.strip(), created_by=by
        )
        events.record(subject=issue, action="opinion.issue_created", actor=by, data={"number": issue.number})
    return issue


events.ACTION_LABELS.setdefault("opinion.issue_created", gettext_lazy("新建一期"))


@transaction.atomic
def issue_publish(*, issue: BulletinIssue, reports, by) -> list:
    """Publish reports in an issue (刊发): each is credited to its authors (event opinion.publish)."""
    _require_staff(issue.committee, by)
    reports = list(reports)
    if not reports:
        raise ValidationError(_("请选择要刊发的信息。"))
    order = (issue.reports.aggregate(m=Max("issue_order"))["m"] or 0) + 1
    done = []
    now = timezone.now()
    for report in reports:
        if report.committee_id != issue.committee_id:
            raise ValidationError(_("只能刊发本委员会的信息。"))
        data = {**_event_credit(report), "issue": issue.pk, "year": issue.year, "number": issue.number}
        if report.root_id:
            data["forwarded_from"] = report.forwarded_from_id
        done.append(
            apply(
                REPORT,
                report,
                "publish",
                by=by,
                data=data,
                changes={"issue": issue, "issue_order": order, "published_at": now},
            )
        )
        order += 1
        _notify_authors(
            report,
            _("您的社情民意信息已刊发于《社情民意》%(issue)s:%(t)s") % {"issue": issue, "t": report.title},
        )
    return done


# --------------------------------------------------------------------------- forwarding upward (报送)


def forward_staff(committee) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            committee=committee, role__in=[Role.STAFF_OPINIONS, Role.STAFF_OFFICE]
        ).select_related("user")
    ]


@transaction.atomic
def report_forward(*, report: OpinionReport, by, note: str = "") -> OpinionReport:
    """报送: a copy of the report enters the parent committee's queue. Twice to the same committee: refused."""
    _require_staff(report.committee, by)
    locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
    parent = locked.committee.parent
    if parent is None:
        raise TransitionRefused(_("本委员会没有上级政协,不能报送。"))
    if locked.state not in ("accepted", "published"):
        raise TransitionRefused(_("只有拟编发或已刊发的信息可以报送上级政协。"))
    if OpinionReport.objects.filter(forwarded_from=locked, committee=parent).exists():
        raise TransitionRefused(_("这条信息已经报送过%(c)s,不能重复报送。") % {"c": parent})
    copy = OpinionReport.objects.create(
        committee=parent,
        title=locked.title,
        topic=locked.topic,
        situation=locked.situation,
        suggestion=locked.suggestion,
        original_title=locked.title,
        original_situation=locked.situation,
        original_suggestion=locked.suggestion,
        source=locked.source,
        contact_point=locked.contact_point,
        studio=locked.studio,
        submitted_by=locked.submitted_by,
        forwarded_from=locked,
        root=locked.root or locked,
        submitted_at=timezone.now(),
        state="draft",
    )
    for i, member in enumerate(authors(locked), start=1):
        ReportAuthor.objects.create(committee=parent, report=copy, member=member, order=i)
    try:
        with transaction.atomic():
            apply(REPORT, copy, "receive", by=by, roles={SYSTEM}, data={"from": locked.pk, "note": note.strip()})
    except IntegrityError:  # pragma: no cover - the lock above makes this the database's last word
        raise TransitionRefused(_("这条信息已经报送过%(c)s,不能重复报送。") % {"c": parent}) from None
    events.record(
        subject=locked, action="opinion.forward", actor=by, reason=note.strip(), data={"to": parent.pk, "copy": copy.pk}
    )
    events.record(subject=copy, action="opinion.forwarded_in", actor=by, data={"from": locked.pk})
    notify(
        committee=parent,
        users=forward_staff(parent),
        title=_("%(c)s报送社情民意信息:%(t)s") % {"c": locked.committee, "t": locked.title},
        url=f"/opinions/staff/{copy.pk}/",
    )
    return copy


# --------------------------------------------------------------------------- adoption (采用) and instruction (批示)


RECORDABLE = ("submitted", "editing", "accepted", "published")


def _chain_root(report: OpinionReport) -> OpinionReport:
    return OpinionReport.objects.select_for_update().get(pk=report.root_id or report.pk)


@transaction.atomic
def adoption_record(*, report: OpinionReport, by, level: str, body: str, date: dt.date, note: str = "") -> Adoption:
    _require_staff(report.committee, by, "opinions.record_adoption")
    if level not in Level.values:
        raise ValidationError({"level": _("请选择采用层级。")})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("请填写采用单位。")})
    if date is None:
        raise ValidationError({"date": _("请填写采用日期。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("采用日期不能晚于今天。")})
    root = _chain_root(report)
    locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
    if locked.state not in RECORDABLE:
        raise TransitionRefused(
            _("当前状态为「%(state)s」,不能记录采用。") % {"state": REPORT.state_label(locked.state)}
        )
    existing = Adoption.objects.filter(root=root, level=level).first()
    if existing:
        raise TransitionRefused(
            _("这条信息已记录过%(level)s采用(%(body)s,%(date)s),同一层级只记录一次。")
            % {"level": Level(level).label, "body": existing.body, "date": existing.date}
        )
    adoption = Adoption.objects.create(
        committee=locked.committee,
        root=root,
        report=locked,
        level=level,
        body=body[:100],
        date=date,
        note=(note or "").strip()[:300],
        recorded_by=by,
    )
    data = {**_event_credit(root), "level": level, "body": adoption.body, "adoption": adoption.pk}
    events.record(subject=root, action="opinion.adopt", actor=by, data=data)
    if locked.pk != root.pk:
        events.record(subject=locked, action="opinion.adopt_recorded", actor=by, data={"level": level})
    _notify_authors(
        root,
        _("您的社情民意信息被%(body)s采用(%(level)s):%(t)s")
        % {"body": adoption.body, "level": Level(level).label, "t": root.title},
    )
    return adoption


@transaction.atomic
def instruction_record(*, report: OpinionReport, by, level: str, leader: str, text: str, date: dt.date) -> Instruction:
    _require_staff(report.committee, by, "opinions.record_adoption")
    errors = {}
    if level not in Level.values:
        errors["level"] = _("请选择领导层级。")
    if not (leader or "").strip():
        errors["leader"] = _("请填写批示领导。")
    if not (text or "").strip():
        errors["text"] = _("请填写批示内容。")
    if date is None:
        errors["date"] = _("请填写批示日期。")
    elif date > timezone.localdate():
        errors["date"] = _("批示日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    root = _chain_root(report)
    locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
    if locked.state not in RECORDABLE:
        raise TransitionRefused(
            _("当前状态为「%(state)s」,不能记录批示。") % {"state": REPORT.state_label(locked.state)}
        )
    leader, text = leader.strip()[:60], text.strip()
    if Instruction.objects.filter(root=root, level=level, leader=leader, text=text).exists():
        raise TransitionRefused(_("这条批示已经记录过了。"))
    instruction = Instruction.objects.create(
        committee=locked.committee,
        root=root,
        report=locked,
        level=level,
        leader=leader,
        text=text,
        date=date,
        recorded_by=by,
    )
    data = {**_event_credit(root), "level": level, "leader": leader, "instruction": instruction.pk}
    events.record(subject=root, action="opinion.instruct", actor=by, data=data)
    if locked.pk != root.pk:
        events.record(subject=locked, action="opinion.instruct_recorded", actor=by, data={"level": level})
    _notify_authors(
        root,
        _("%(leader)s(%(level)s)对您的社情民意信息作出批示:%(t)s")
        % {"leader": leader, "level": Level(level).label, "t": root.title},
        text,
    )
    return instruction


# --------------------------------------------------------------------------- reporters (信息员)


@transaction.atomic
def reporter_add(
    *,
    committee,
    by,
    username: str,
    name: str = "",
    mobile: str = "",
    password: str = "",
    contact_point=None,
    studio=None,
) -> Reporter:
    """Register a reporter for a contact point or a studio of this committee: an existing account (a member
    who runs a studio, say) is given the reporter role; otherwise a new account is created (without a
    password the person logs in by SMS code)."""
    from django.contrib.auth.password_validation import validate_password

    from lvzhi.accounts.models import User
    from lvzhi.core.permissions import forget_roles

    _require_staff(committee, by)
    username, name, mobile = username.strip(), name.strip(), mobile.strip()
    errors: dict[str, list[str]] = {}
    if contact_point is None and studio is None:
        errors["contact_point"] = [_("请选择联系点或委员工作室。")]
    for obj, field in ((contact_point, "contact_point"), (studio, "studio")):
        if obj is not None and obj.committee_id != committee.pk:
            errors[field] = [_("所选项目不属于本委员会。")]
    if not username:
        errors["username"] = [_("请填写用户名。")]
    user = User.objects.filter(username__iexact=username).first() if username else None
    if user is not None and Reporter.objects.for_committee(committee).filter(user=user).exists():
        errors["username"] = [_("该账户已是本委员会的信息员。")]
    if user is None and username:
        if not name:
            errors["name"] = [_("请填写姓名。")]
        if not mobile:
            errors["mobile"] = [_("请填写手机号。")]
        elif User.objects.filter(mobile=mobile).exists():
            errors["mobile"] = [_("该手机号已有账户,请填写该账户的用户名。")]
        if password:
            try:
                validate_password(password, User(username=username, mobile=mobile, display_name=name))
            except ValidationError as e:
                errors["password"] = list(e.messages)
    if errors:
        raise ValidationError(errors)
    if user is None:
        user = User(username=username, mobile=mobile, display_name=name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise ValidationError({"username": [_("该用户名或手机号已被使用。")]}) from None
    Membership.objects.get_or_create(user=user, committee=committee, role=Role.REPORTER)
    forget_roles(user)
    reporter = Reporter.objects.create(committee=committee, user=user, contact_point=contact_point, studio=studio)
    events.record(
        subject=reporter,
        action="opinion.reporter_added",
        actor=by,
        data={
            "user": user.pk,
            "contact_point": getattr(contact_point, "pk", None),
            "studio": getattr(studio, "pk", None),
        },
    )
    return reporter


@transaction.atomic
def reporter_remove(*, reporter: Reporter, by) -> None:
    """Take the reporter role away; the account and the reports it wrote stay."""
    from lvzhi.core.permissions import forget_roles

    _require_staff(reporter.committee, by)
    Membership.objects.filter(user=reporter.user, committee=reporter.committee, role=Role.REPORTER).delete()
    events.record(subject=reporter, action="opinion.reporter_removed", actor=by, data={"user": reporter.user_id})
    forget_roles(reporter.user)
    reporter.delete()


events.ACTION_LABELS.setdefault("opinion.reporter_added", gettext_lazy("登记信息员"))
events.ACTION_LABELS.setdefault("opinion.reporter_removed", gettext_lazy("取消信息员"))
