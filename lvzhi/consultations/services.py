"""The rules of consultation and democratic supervision. Views and the API call these; every refusal is a
TransitionRefused or ValidationError with a clear Chinese message and changes nothing (one transaction,
the row that decides locked with select_for_update)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events, uploads
from lvzhi.core.config import setting
from lvzhi.core.notify import notify
from lvzhi.core.roles import Role
from lvzhi.core.workflow import TransitionRefused, apply
from lvzhi.org.models import HandlingUnit, Member, Membership

from .models import (
    Consultation,
    Finding,
    Inspection,
    Kind,
    Material,
    Outcome,
    Participant,
    Plan,
    Post,
    Recommendation,
    Response,
    Speech,
    Step,
    Supervision,
    Topic,
)
from .workflow import CONSULTATION, OUTCOME, PLAN, RESPONSE

SPEECH_EVENT = "consultation.speech"
PUBLISHED_EVENT = "consultation.outcome_published"
events.ACTION_LABELS.update(
    {
        SPEECH_EVENT: gettext_lazy("协商发言或书面意见"),
        PUBLISHED_EVENT: gettext_lazy("协商成果公开"),
        "consultation_plan.create": gettext_lazy("新建协商计划"),
        "consultation.create": gettext_lazy("新建协商活动"),
        "consultation.update": gettext_lazy("修改协商活动"),
        "consultation.post": gettext_lazy("网络议政发言"),
        "consultation_outcome.create": gettext_lazy("起草协商成果"),
        "consultation_outcome.update": gettext_lazy("修改协商成果"),
        "supervision.create": gettext_lazy("新建民主监督议题"),
        "consultation.topic_saved": gettext_lazy("修改协商议题"),
        "consultation.topic_deleted": gettext_lazy("删除协商议题"),
        "consultation.invited": gettext_lazy("邀请委员参加协商"),
        "consultation.material_added": gettext_lazy("上传协商材料"),
        "consultation.post_hidden": gettext_lazy("隐藏议政发言"),
        "consultation.recommendation_saved": gettext_lazy("修改成果建议"),
        "consultation_response.step": gettext_lazy("记录落实情况"),
        "supervision.inspection": gettext_lazy("记录监督视察"),
        "supervision.finding": gettext_lazy("记录监督发现"),
    }
)


# --------------------------------------------------------------------------- helpers


def member_of(user, committee) -> Member | None:
    return Member.objects.filter(committee=committee, user=user, state=Member.State.ACTIVE).first()


def unit_of(user, committee) -> HandlingUnit | None:
    """The handling unit (a department) a unit account works for in `committee`."""
    grant = (
        Membership.objects.filter(user=user, committee=committee, role=Role.UNIT, handling_unit__isnull=False)
        .select_related("handling_unit")
        .first()
    )
    return grant.handling_unit if grant else None


def unit_users(unit: HandlingUnit):
    from lvzhi.accounts.models import User

    return User.objects.filter(
        memberships__committee=unit.committee, memberships__role=Role.UNIT, memberships__handling_unit=unit
    ).distinct()


def _same_committee(committee, objs, field: str) -> None:
    for obj in objs:
        if obj is not None and obj.committee_id != committee.pk:
            raise ValidationError({field: _("所选项目不属于本委员会。")})


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    return value


# --------------------------------------------------------------------------- plan and topics


def plan_create(*, committee, by, year: int, title: str = "", note: str = "") -> Plan:
    if Plan.objects.for_committee(committee).filter(year=year).exists():
        raise ValidationError({"year": _("%(year)s 年度的协商计划已经存在。") % {"year": year}})
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                committee=committee,
                year=year,
                title=title.strip() or _("%(year)s 年度协商计划") % {"year": year},
                note=note,
            )
    except IntegrityError as e:
        raise ValidationError({"year": _("%(year)s 年度的协商计划已经存在。") % {"year": year}}) from e
    events.record(subject=plan, action="consultation_plan.create", actor=by, to_state=plan.state)
    return plan


def _editable_plan(plan: Plan) -> Plan:
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.state != "draft":
        raise TransitionRefused(
            _("协商计划「%(state)s」,议题不能再修改;如需调整请先退回修改。") % {"state": PLAN.state_label(locked.state)}
        )
    return locked


def _topic_fields(committee, *, title, kind, month, lead=None, sub_district=None, units=()):
    title = _text(title, "title", _("议题"))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择协商形式。")})
    if not month or not 1 <= int(month) <= 12:
        raise ValidationError({"month": _("计划月份应在 1 到 12 之间。")})
    if kind == Kind.GRASSROOTS and sub_district is None:
        raise ValidationError({"sub_district": _("基层协商须选择所在街道。")})
    _same_committee(committee, [lead, sub_district, *units], "units")
    return title


def topic_save(
    *, plan: Plan, by, topic: Topic | None = None, title: str, kind: str, month: int, lead=None,
    sub_district=None, units=(), note: str = "",
) -> Topic:  # fmt: skip
    """Add a topic to a draft plan, or change one. Refused once the plan is submitted or approved."""
    units = list(units)
    title = _topic_fields(
        plan.committee, title=title, kind=kind, month=month, lead=lead, sub_district=sub_district, units=units
    )
    with transaction.atomic():
        locked = _editable_plan(plan)
        if topic is None:
            order = (locked.topics.aggregate(m=Max("order"))["m"] or 0) + 1
            topic = Topic(committee=locked.committee, plan=locked, order=order)
        elif topic.plan_id != locked.pk:
            raise ValidationError(_("议题不属于该计划。"))
        topic.title, topic.kind, topic.month, topic.lead = title, kind, int(month), lead
        topic.sub_district = sub_district if kind == Kind.GRASSROOTS else None
        topic.note = note.strip()
        topic.save()
        topic.units.set(units)
        events.record(subject=locked, action="consultation.topic_saved", actor=by, data={"topic": topic.pk})
    return topic


def topic_delete(*, topic: Topic, by) -> None:
    with transaction.atomic():
        locked = _editable_plan(topic.plan)
        if topic.consultations.exists():
            raise TransitionRefused(_("该议题已有协商活动,不能删除。"))
        events.record(subject=locked, action="consultation.topic_deleted", actor=by, data={"title": topic.title})
        topic.delete()


def plan_act(*, plan: Plan, by, action: str, reason: str = ""):
    changes = {"approved_at": timezone.now()} if action == "approve" else {}
    event = apply(PLAN, plan, action, by=by, reason=reason, changes=changes)
    if action == "approve":
        plan.refresh_from_db()
    return event


# --------------------------------------------------------------------------- consultations


def consultation_create(
    *, committee, by, title: str = "", kind: str = "", held_on: dt.date, topic: Topic | None = None, lead=None,
    sub_district=None, place: str = "", units=(), experts: str = "", residents: str = "", research: str = "",
    opens_at=None, closes_at=None,
) -> Consultation:  # fmt: skip
    """A consultation from an approved plan's topic (its title, kind, lead, sub-district and departments are
    taken from the topic unless given) or ad hoc."""
    units = list(units)
    if topic is not None:
        _same_committee(committee, [topic], "topic")
        if not Plan.objects.filter(pk=topic.plan_id, state="approved").exists():
            raise ValidationError({"topic": _("协商计划尚未批准,不能据此安排协商活动。")})
        title = title.strip() or topic.title
        kind = kind or topic.kind
        lead = lead or topic.lead
        sub_district = sub_district or topic.sub_district
        units = units or list(topic.units.all())
    title = _text(title, "title", _("名称"))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择协商形式。")})
    if kind == Kind.GRASSROOTS and sub_district is None:
        raise ValidationError({"sub_district": _("基层协商须选择所在街道。")})
    if kind == Kind.ONLINE:
        if not opens_at or not closes_at:
            raise ValidationError({"closes_at": _("网络议政须填写开始和截止时间。")})
        if closes_at <= opens_at:
            raise ValidationError({"closes_at": _("截止时间应晚于开始时间。")})
    else:
        opens_at = closes_at = None
    _same_committee(committee, [lead, sub_district, *units], "units")
    with transaction.atomic():
        c = Consultation.objects.create(
            committee=committee, topic=topic, title=title, kind=kind, lead=lead,
            sub_district=sub_district if kind == Kind.GRASSROOTS else None, held_on=held_on, place=place.strip(),
            experts=experts.strip(), residents=residents.strip(), research=research.strip(),
            opens_at=opens_at, closes_at=closes_at, created_by=by,
        )  # fmt: skip
        c.units.set(units)
        events.record(subject=c, action="consultation.create", actor=by, to_state=c.state)
    return c


def consultation_update(*, consultation: Consultation, by, **fields) -> Consultation:
    """Change the preparation of a consultation: place, date, experts, residents, research, the window."""
    allowed = {"place", "held_on", "experts", "residents", "research", "opens_at", "closes_at"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("不能修改:%(f)s") % {"f": ", ".join(sorted(unknown))})
    with transaction.atomic():
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.state == "cancelled":
            raise TransitionRefused(_("协商活动已取消,不能修改。"))
        for k, v in fields.items():
            setattr(c, k, v.strip() if isinstance(v, str) else v)
        if c.kind == Kind.ONLINE and (not c.opens_at or not c.closes_at or c.closes_at <= c.opens_at):
            raise ValidationError({"closes_at": _("截止时间应晚于开始时间。")})
        c.save()
        events.record(subject=c, action="consultation.update", actor=by, data={"fields": sorted(fields)})
    return c


def consultation_act(*, consultation: Consultation, by, action: str, reason: str = ""):
    return apply(CONSULTATION, consultation, action, by=by, reason=reason)


def invite(*, consultation: Consultation, by, members) -> int:
    """Invite members (idempotent: an invited member stays invited once). Returns how many were added."""
    members = list(members)
    _same_committee(consultation.committee, members, "members")
    with transaction.atomic():
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.state == "cancelled":
            raise TransitionRefused(_("协商活动已取消,不能邀请委员。"))
        have = set(c.participants.values_list("member_id", flat=True))
        new = [m for m in members if m.pk not in have and m.state == Member.State.ACTIVE]
        Participant.objects.bulk_create(Participant(committee=c.committee, consultation=c, member=m) for m in new)
        if new:
            events.record(subject=c, action="consultation.invited", actor=by, data={"members": [m.pk for m in new]})
    if new:
        notify(
            committee=c.committee,
            users=[m.user for m in new if m.user_id],
            title=_("邀请您参加协商:%(title)s") % {"title": c.title},
            body=_("%(kind)s · %(date)s") % {"kind": c.get_kind_display(), "date": c.held_on.isoformat()},
            url=f"/consultations/m/{c.pk}/",
        )
    return len(new)


def material_add(*, consultation: Consultation, by, upload, purpose: str = Material.Purpose.MATERIAL) -> Material:
    committee = consultation.committee
    if upload is None:
        raise ValidationError({"file": _("请选择文件。")})
    try:
        name, _ext = uploads.check(
            upload,
            allowed=setting(committee, "consultations.material_types"),
            max_mb=setting(committee, "consultations.material_max_mb"),
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    if purpose not in Material.Purpose.values:
        raise ValidationError({"purpose": _("请选择材料类别。")})
    m = Material(
        committee=committee, consultation=consultation, purpose=purpose, name=name[:200], size=upload.size,
        uploaded_by=by,
    )  # fmt: skip
    m.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            m.save()
            events.record(subject=consultation, action="consultation.material_added", actor=by, data={"name": m.name})
    except BaseException:
        m.file.storage.delete(m.file.name)
        raise
    return m


def _record_speech(speech: Speech, by) -> None:
    events.record(
        subject=speech,
        action=SPEECH_EVENT,
        actor=by,
        data={
            "members": [speech.member_id],
            "lead": speech.member_id,
            "kind": speech.kind,
            "consultation": speech.consultation_id,
        },
    )


def speech_record(*, consultation: Consultation, by, member: Member, kind: str, title: str, text: str) -> Speech:
    """Staff record a member's speech (oral) or a written opinion handed in on paper."""
    _same_committee(consultation.committee, [member], "member")
    if kind not in Speech.Kind.values:
        raise ValidationError({"kind": _("请选择发言方式。")})
    title, text = _text(title, "title", _("题目")), _text(text, "text", _("内容"))
    with transaction.atomic():
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.state == "cancelled":
            raise TransitionRefused(_("协商活动已取消。"))
        speech = Speech.objects.create(
            committee=c.committee, consultation=c, member=member, kind=kind, title=title, text=text, created_by=by
        )
        _record_speech(speech, by)
    return speech


def opinion_submit(*, consultation: Consultation, by, title: str, text: str) -> Speech:
    """A member hands in a written opinion (书面意见) on a consultation they are invited to."""
    member = member_of(by, consultation.committee)
    if member is None or not consultation.participants.filter(member=member).exists():
        raise TransitionRefused(_("您没有受邀参加这次协商,不能提交书面意见。"))
    title, text = _text(title, "title", _("题目")), _text(text, "text", _("内容"))
    with transaction.atomic():
        c = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if c.state == "cancelled":
            raise TransitionRefused(_("协商活动已取消。"))
        speech = Speech.objects.create(
            committee=c.committee, consultation=c, member=member, kind=Speech.Kind.WRITTEN, title=title, text=text,
            created_by=by,
        )  # fmt: skip
        _record_speech(speech, by)
    return speech


def discussion_state(consultation: Consultation, now=None) -> str:
    """'none' (not online), 'before', 'open' or 'closed'."""
    if consultation.kind != Kind.ONLINE or not consultation.opens_at:
        return "none"
    now = now or timezone.now()
    if consultation.state == "cancelled":
        return "closed"
    if now < consultation.opens_at:
        return "before"
    if now >= consultation.closes_at:
        return "closed"
    return "open"


def post_create(*, consultation: Consultation, by, text: str, now=None) -> Post:
    """A post of the online discussion: only invited members, only inside the time window."""
    if consultation.kind != Kind.ONLINE:
        raise TransitionRefused(_("这次协商不是网络议政,没有网上讨论。"))
    member = member_of(by, consultation.committee)
    if member is None or not consultation.participants.filter(member=member).exists():
        raise TransitionRefused(_("您没有受邀参加这次网络议政,不能发言。"))
    state = discussion_state(consultation, now)
    if state == "before":
        raise TransitionRefused(
            _("网络议政将于 %(when)s 开始,请到时再发言。")
            % {"when": timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d %H:%M")}
        )
    if state == "closed":
        raise TransitionRefused(
            _("网络议政已于 %(when)s 截止,不能再发言。")
            % {"when": timezone.localtime(consultation.closes_at).strftime("%Y-%m-%d %H:%M")}
        )
    text = _text(text, "text", _("发言内容"))
    if len(text) > 2000:
        raise ValidationError({"text": _("发言不能超过 2000 字。")})
    with transaction.atomic():
        post = Post.objects.create(
            committee=consultation.committee, consultation=consultation, member=member, text=text
        )
        events.record(subject=post, action="consultation.post", actor=by, data={"members": [member.pk]})
    return post


def post_hide(*, post: Post, by, reason: str) -> Post:
    reason = _text(reason, "reason", _("隐藏理由"))
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.hidden:
            raise TransitionRefused(_("该发言已被隐藏。"))
        locked.hidden, locked.hidden_reason, locked.hidden_by = True, reason[:200], by
        locked.save(update_fields=["hidden", "hidden_reason", "hidden_by"])
        events.record(subject=locked, action="consultation.post_hidden", actor=by, reason=reason)
    if locked.member.user_id:
        notify(
            committee=locked.committee,
            users=[locked.member.user],
            title=_("您在网络议政中的一条发言已被隐藏"),
            body=_("理由:%(reason)s") % {"reason": reason},
            url=f"/consultations/m/{locked.consultation_id}/",
        )
    return locked


# --------------------------------------------------------------------------- democratic supervision


def supervision_create(*, committee, by, year: int, title: str, lead=None, units=(), description: str = ""):
    units = list(units)
    title = _text(title, "title", _("监督议题"))
    _same_committee(committee, [lead, *units], "units")
    with transaction.atomic():
        s = Supervision.objects.create(
            committee=committee, year=year, title=title, lead=lead, description=description.strip(), created_by=by
        )
        s.units.set(units)
        events.record(subject=s, action="supervision.create", actor=by)
    return s


def inspection_add(*, supervision: Supervision, by, date: dt.date, place: str, members=(), notes: str = ""):
    members = list(members)
    _same_committee(supervision.committee, members, "members")
    place = _text(place, "place", _("地点"))
    with transaction.atomic():
        i = Inspection.objects.create(
            committee=supervision.committee, supervision=supervision, date=date, place=place, notes=notes.strip()
        )
        i.members.set(members)
        events.record(
            subject=supervision, action="supervision.inspection", actor=by,
            data={"inspection": i.pk, "members": [m.pk for m in members], "lead": None},
        )  # fmt: skip
    return i


def finding_add(*, supervision: Supervision, by, text: str, unit=None) -> Finding:
    text = _text(text, "text", _("发现的问题"))
    _same_committee(supervision.committee, [unit], "unit")
    with transaction.atomic():
        f = Finding.objects.create(committee=supervision.committee, supervision=supervision, text=text, unit=unit)
        events.record(subject=supervision, action="supervision.finding", actor=by, data={"finding": f.pk})
    return f


# --------------------------------------------------------------------------- outcome reports


def outcome_create(
    *, committee, by, consultation: Consultation | None = None, supervision: Supervision | None = None,
    title: str, summary: str, drafters=(),
) -> Outcome:  # fmt: skip
    if (consultation is None) == (supervision is None):
        raise ValidationError(_("成果须属于一次协商活动或一个民主监督议题。"))
    source = consultation or supervision
    drafters = list(drafters)
    _same_committee(committee, [source, *drafters], "drafters")
    title, summary = _text(title, "title", _("成果标题")), _text(summary, "summary", _("成果报告"))
    if consultation is not None and consultation.state != "held":
        raise TransitionRefused(_("协商活动举行后才能形成协商成果。"))
    try:
        with transaction.atomic():
            o = Outcome.objects.create(
                committee=committee, consultation=consultation, supervision=supervision, title=title, summary=summary
            )
            o.drafters.set(drafters)
            events.record(subject=o, action="consultation_outcome.create", actor=by, to_state=o.state)
    except IntegrityError as e:
        raise TransitionRefused(_("这项工作已经有成果报告了。")) from e
    return o


def _draft_outcome(outcome: Outcome) -> Outcome:
    locked = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if locked.state != "draft":
        raise TransitionRefused(_("成果已送达部门,不能再修改报告和建议。"))
    return locked


def outcome_update(*, outcome: Outcome, by, title: str, summary: str, drafters=()) -> Outcome:
    drafters = list(drafters)
    _same_committee(outcome.committee, drafters, "drafters")
    title, summary = _text(title, "title", _("成果标题")), _text(summary, "summary", _("成果报告"))
    with transaction.atomic():
        o = _draft_outcome(outcome)
        o.title, o.summary = title, summary
        o.save(update_fields=["title", "summary"])
        o.drafters.set(drafters)
        events.record(subject=o, action="consultation_outcome.update", actor=by)
    return o


def recommendation_save(
    *, outcome: Outcome, by, text: str, units=(), due_date: dt.date | None = None,
    recommendation: Recommendation | None = None,
) -> Recommendation:  # fmt: skip
    """Add a numbered recommendation (the next number, under the outcome's lock) or change one."""
    units = list(units)
    _same_committee(outcome.committee, units, "units")
    text = _text(text, "text", _("建议内容"))
    if not units:
        raise ValidationError({"units": _("请选择至少一个责任部门。")})
    if due_date is not None and due_date <= timezone.localdate():
        raise ValidationError({"due_date": _("反馈期限应晚于今天。")})
    with transaction.atomic():
        o = _draft_outcome(outcome)
        if recommendation is None:
            number = (o.recommendations.aggregate(m=Max("number"))["m"] or 0) + 1
            recommendation = Recommendation(committee=o.committee, outcome=o, number=number)
        elif recommendation.outcome_id != o.pk:
            raise ValidationError(_("建议不属于该成果。"))
        recommendation.text, recommendation.due_date = text, due_date
        recommendation.save()
        recommendation.units.set(units)
        events.record(
            subject=o, action="consultation.recommendation_saved", actor=by, data={"number": recommendation.number}
        )
    return recommendation


def recommendation_delete(*, recommendation: Recommendation, by) -> None:
    """Delete a recommendation of a draft; the later ones move up a number."""
    with transaction.atomic():
        o = _draft_outcome(recommendation.outcome)
        number = recommendation.number
        recommendation.delete()
        for r in o.recommendations.filter(number__gt=number).order_by("number"):
            Recommendation.objects.filter(pk=r.pk).update(number=r.number - 1)
        events.record(subject=o, action="consultation.recommendation_saved", actor=by, data={"deleted": number})


def outcome_send(*, outcome: Outcome, by, today: dt.date | None = None):
    """Send every recommendation to its departments: one Response each, due by the recommendation's date or
    the committee's default (consultations.due_days after today)."""
    today = today or timezone.localdate()
    days = int(setting(outcome.committee, "consultations.due_days"))
    created: list[Response] = []

    def on_apply(locked: Outcome):
        locked.sent_at = timezone.now()
        for rec in locked.recommendations.prefetch_related("units"):
            for unit in rec.units.all():
                created.append(
                    Response(
                        committee=locked.committee,
                        recommendation=rec,
                        unit=unit,
                        sent_on=today,
                        due_date=rec.due_date or today + dt.timedelta(days=days),
                    )  # fmt: skip
                )
        Response.objects.bulk_create(created)

    event = apply(OUTCOME, outcome, "send", by=by, on_apply=on_apply)
    for unit_id in sorted({r.unit_id for r in created}):
        unit = HandlingUnit.objects.get(pk=unit_id)
        n = sum(1 for r in created if r.unit_id == unit_id)
        notify(
            committee=outcome.committee,
            users=unit_users(unit),
            title=_("请办理协商成果建议:%(title)s") % {"title": outcome.title},
            body=_("共 %(n)s 条建议送交贵单位办理,请答复采纳情况并反馈落实结果。") % {"n": n},
            url="/consultations/unit/",
        )
    return event


def outcome_publish(*, outcome: Outcome, by):
    def on_apply(locked: Outcome):
        locked.published_at = timezone.now()
        drafters = list(locked.drafters.order_by("pk").values_list("pk", flat=True))
        events.record(
            subject=locked, action=PUBLISHED_EVENT, actor=by,
            data={"members": drafters, "lead": drafters[0] if drafters else None},
        )  # fmt: skip

    return apply(OUTCOME, outcome, "publish", by=by, on_apply=on_apply)


# --------------------------------------------------------------------------- a department's follow-up


def response_of(recommendation: Recommendation, unit: HandlingUnit | None) -> Response:
    """The follow-up of `recommendation` by `unit`; refused clearly when it was not sent to that unit."""
    response = None
    if unit is not None and unit.committee_id == recommendation.committee_id:
        response = Response.objects.filter(recommendation=recommendation, unit=unit).first()
    if response is None:
        raise TransitionRefused(
            _("第 %(n)s 条建议没有送交%(unit)s办理,不能答复。")
            % {"n": recommendation.number, "unit": unit.name if unit else _("本单位")}
        )
    return response


def response_answer(*, recommendation, unit, by, adoption: str, answer: str = "", reason: str = "") -> Response:
    if adoption not in Response.Adoption.values:
        raise ValidationError({"adoption": _("请选择采纳情况:采纳、部分采纳或不采纳。")})
    response = response_of(recommendation, unit)
    reason = (reason or "").strip()
    if adoption == Response.Adoption.NOT_ADOPTED and not reason:
        raise ValidationError({"reason": _("不采纳须说明理由。")})
    answer = _text(answer, "answer", _("办理意见"))
    apply(
        RESPONSE, response, "answer", by=by, data={"adoption": adoption, "reason": reason},
        changes={"adoption": adoption, "reason": reason, "answer": answer, "answered_at": timezone.now()},
    )  # fmt: skip
    response.refresh_from_db()
    return response


def step_add(*, recommendation, unit, by, date: dt.date, text: str) -> Step:
    """Record an implementation step; the first one moves the follow-up to 落实中."""
    response = response_of(recommendation, unit)
    text = _text(text, "text", _("落实情况"))
    if date is None:
        raise ValidationError({"date": _("请填写日期。")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("落实日期不能晚于今天。")})
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.state not in ("answered", "implementing"):
            raise TransitionRefused(
                _("当前状态为「%(state)s」,不能记录落实情况。") % {"state": RESPONSE.state_label(locked.state)}
            )
        if locked.adoption == Response.Adoption.NOT_ADOPTED:
            raise TransitionRefused(_("该建议不予采纳,无需记录落实情况,请直接反馈。"))
        step = Step.objects.create(committee=locked.committee, response=locked, date=date, text=text, created_by=by)
        if locked.state == "answered":
            apply(RESPONSE, locked, "implement", by=by, data={"step": step.pk})
        else:
            events.record(subject=locked, action="consultation_response.step", actor=by, data={"step": step.pk})
    return step


def response_feed_back(*, recommendation, unit, by, feedback: str) -> Response:
    response = response_of(recommendation, unit)
    feedback = _text(feedback, "feedback", _("反馈内容"))
    apply(RESPONSE, response, "feed_back", by=by, changes={"feedback": feedback, "fed_back_at": timezone.now()})
    response.refresh_from_db()
    return response


def response_reopen(*, response: Response, by, reason: str) -> Response:
    apply(RESPONSE, response, "reopen", by=by, reason=reason)
    notify(
        committee=response.committee,
        users=unit_users(response.unit),
        title=_("协商成果建议退回继续落实"),
        body=reason,
        url=f"/consultations/unit/{response.recommendation_id}/",
    )
    response.refresh_from_db()
    return response
