"""After an activity: members' reports (with co-authors and PDF/Word attachments), photos, and the outcomes
staff attach (research reports, files). Every write is atomic and records an event; uploads are checked
before anything is stored (documents with the meetings' check, photos by extension, first bytes and size).

`activity.report_submitted` credits the report's authors who are members: data["members"] (the lead
first) and data["lead"], as the events contract says."""

import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import events, uploads
from lvzhi.core.config import setting
from lvzhi.core.workflow import TransitionRefused
from lvzhi.meetings.services_setup import document_check
from lvzhi.org.models import Member

from .models import Activity, ActivityReport, Outcome, Photo, ReportFile, SignUp

IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".webp")
REPORT_FILES_MAX = 5


def image_check(upload, *, max_mb: int) -> str:
    """Refuse anything but a real JPEG, PNG or WebP picture within the size limit; return its extension."""
    _name, ext = uploads.check(upload, allowed=IMAGE_TYPES, max_mb=max_mb)
    return ext


def content_type(file_name: str) -> str:
    return uploads.content_type(file_name)


def _store(field, ext: str, upload) -> None:
    # the stored name is random: an uploaded file's name never decides a path on the server
    field.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)


def _after_start(activity: Activity) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.state not in ("published", "closed"):
        raise TransitionRefused(_("活动未发布或已取消。"))
    if timezone.now() < locked.starts_at:
        raise TransitionRefused(_("活动开始后才能提交报告和照片。"))
    return locked


def is_participant(activity: Activity, member: Member) -> bool:
    return SignUp.objects.filter(activity=activity, member=member, state="confirmed").exists()


# --------------------------------------------------------------------------- reports


def report_submit(*, activity: Activity, member: Member, by, title: str, text: str, coauthors=(), files=()):
    """A participant (confirmed sign-up) submits a report, with co-authors who took part too. One report
    per lead member and activity."""
    if member.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("只能以自己的名义提交报告。"))
    title, text = (title or "").strip(), (text or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写报告题目。")
    if len(text) < 20:
        errors["text"] = _("报告正文太短,请至少写 20 个字。")
    if errors:
        raise ValidationError(errors)
    files = list(files)
    if len(files) > REPORT_FILES_MAX:
        raise ValidationError({"files": _("附件最多 %(n)s 个。") % {"n": REPORT_FILES_MAX}})
    exts = [document_check(f) for f in files]
    coauthors = [m for m in dict.fromkeys(coauthors) if m.pk != member.pk]
    stored = []
    try:
        with transaction.atomic():
            locked = _after_start(activity)
            if not is_participant(locked, member):
                raise TransitionRefused(_("只有报名成功参加活动的委员才能提交活动报告。"))
            strangers = [m.name for m in coauthors if not is_participant(locked, m)]
            if strangers:
                raise ValidationError(
                    {"coauthors": _("以下委员没有参加本活动,不能列为作者:%(names)s") % {"names": "、".join(strangers)}}
                )
            if ActivityReport.objects.filter(activity=locked, lead=member).exists():
                raise TransitionRefused(_("您已提交过本活动的报告;如需补充,请联系工作人员。"))
            report = ActivityReport.objects.create(
                committee=locked.committee, activity=locked, lead=member, title=title, text=text, created_by=by
            )
            report.authors.set([member, *coauthors])
            for upload, ext in zip(files, exts, strict=True):
                rf = ReportFile(
                    committee=locked.committee,
                    report=report,
                    name=os.path.splitext(uploads.clean_name(upload.name))[0][:200],
                    size=upload.size,
                )
                _store(rf.file, ext, upload)
                stored.append(rf.file)
                rf.save()
            events.record(
                subject=report,
                action="activity.report_submitted",
                actor=by,
                data={
                    "members": [member.pk, *[m.pk for m in coauthors]],
                    "lead": member.pk,
                    "activity": locked.pk,
                    "kind": locked.kind,
                },
            )
    except Exception:
        for f in stored:
            f.storage.delete(f.name)
        raise
    return report


# --------------------------------------------------------------------------- photos


def photo_add(*, activity: Activity, by, upload, caption: str = "", member: Member | None = None) -> Photo:
    """A participant (or staff, member=None) uploads a photo of the activity."""
    committee = activity.committee
    staff = by.has_perm("activities.manage", committee)
    if member is None and not staff:
        raise PermissionDenied(_("您没有上传活动照片的权限。"))
    if member is not None and member.user_id != by.pk:
        raise PermissionDenied(_("只能以自己的名义上传照片。"))
    ext = image_check(upload, max_mb=setting(committee, "activities.photo_max_mb"))
    photo = Photo(
        committee=committee,
        activity=activity,
        member=member,
        caption=(caption or "").strip()[:120],
        size=upload.size,
        uploaded_by=by,
    )
    try:
        with transaction.atomic():
            locked = _after_start(activity)
            if member is not None:
                if not is_participant(locked, member):
                    raise TransitionRefused(_("只有报名成功参加活动的委员才能上传照片。"))
                limit = setting(committee, "activities.photos_per_member")
                if Photo.objects.filter(activity=locked, member=member).count() >= limit:
                    raise TransitionRefused(_("每位委员最多上传 %(n)s 张照片。") % {"n": limit})
            _store(photo.file, ext, upload)
            photo.save()
            events.record(
                subject=locked,
                action="activity.photo_added",
                actor=by,
                data={"photo": photo.pk, "member": member and member.pk},
            )
    except Exception:
        if photo.file.name:
            photo.file.storage.delete(photo.file.name)
        raise
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, by) -> None:
    """The uploader or activities staff remove a photo."""
    if photo.uploaded_by_id != by.pk and not by.has_perm("activities.manage", photo.committee):
        raise PermissionDenied(_("只能删除自己上传的照片。"))
    storage, path = photo.file.storage, photo.file.name
    activity = photo.activity
    pk = photo.pk
    photo.delete()
    events.record(subject=activity, action="activity.photo_deleted", actor=by, data={"photo": pk})
    transaction.on_commit(lambda: storage.delete(path))


# --------------------------------------------------------------------------- outcomes (staff)


def outcome_add(*, activity: Activity, by, kind: str, title: str, summary: str = "", upload=None) -> Outcome:
    if kind not in Outcome.Kind.values:
        raise ValidationError({"kind": _("请选择成果类型。")})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写成果标题。")})
    if upload is None and not (summary or "").strip():
        raise ValidationError({"summary": _("请填写成果摘要或上传成果文件。")})
    ext = document_check(upload) if upload is not None else ""
    outcome = Outcome(
        committee=activity.committee,
        activity=activity,
        kind=kind,
        title=title[:120],
        summary=(summary or "").strip(),
        created_by=by,
    )
    try:
        with transaction.atomic():
            locked = Activity.objects.select_for_update().get(pk=activity.pk)
            if locked.state == "cancelled" or locked.state == "draft":
                raise TransitionRefused(_("活动未举办,不能添加成果。"))
            if upload is not None:
                outcome.name = os.path.splitext(uploads.clean_name(upload.name))[0][:200]
                outcome.size = upload.size
                _store(outcome.file, ext, upload)
            outcome.save()
            events.record(
                subject=locked,
                action="activity.outcome_added",
                actor=by,
                data={"outcome": outcome.pk, "kind": kind, "title": outcome.title},
            )
    except Exception:
        if outcome.file.name:
            outcome.file.storage.delete(outcome.file.name)
        raise
    return outcome


@transaction.atomic
def outcome_delete(*, outcome: Outcome, by) -> None:
    storage, path = outcome.file.storage, outcome.file.name
    activity, title = outcome.activity, outcome.title
    outcome.delete()
    events.record(subject=activity, action="activity.outcome_deleted", actor=by, data={"title": title})
    if path:
        transaction.on_commit(lambda: storage.delete(path))
