"""Every write of the proposal lifecycle: one function a use case, atomic, through the workflow engine
(which locks the row and records the event). Pages, the API and background tasks call these."""

import datetime as dt

from dateutil.relativedelta import relativedelta
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
from lvzhi.org.models import HandlingUnit, Member, Membership, Session

from .models import Answer, Assignment, Contact, CoSigner, Evaluation, NumberCounter, ProgressNote, Proposal
from .workflow import ASSIGNMENT, COSIGNER, PROPOSAL

events.ACTION_LABELS.update(
    {
        "proposal.created": gettext_lazy("创建提案草稿"),
        "proposal.edited": gettext_lazy("修改提案"),
        "proposal.cosigner_invited": gettext_lazy("邀请联名"),
        "proposal.contact": gettext_lazy("记录与提案人沟通"),
        "proposal.evaluated": gettext_lazy("提案人评价"),
        "proposal.key_marked": gettext_lazy("列为重点提案"),
        "proposal.key_unmarked": gettext_lazy("取消重点提案"),
        "proposal.progress": gettext_lazy("督办进展"),
        "proposal.excellent": gettext_lazy("评为优秀提案"),
        "proposal.published": gettext_lazy("公开提案及答复"),
        "proposal.unpublished": gettext_lazy("取消公开"),
        "proposal.category_changed": gettext_lazy("调整答复类别"),
    }
)

DRAFT_FIELDS = ["title", "category", "problem", "analysis", "suggestion", "agree_publish"]


# --------------------------------------------------------------------------- helpers


def member_of(user, committee) -> Member | None:
    return Member.objects.filter(committee=committee, user=user, state=Member.State.ACTIVE).first()


def unit_of(user, committee) -> HandlingUnit | None:
    grant = (
        Membership.objects.filter(user=user, committee=committee, role=Role.UNIT, handling_unit__isnull=False)
        .select_related("handling_unit")
        .first()
    )
    return grant.handling_unit if grant else None


def proposers(proposal: Proposal) -> list[Member]:
    """The lead and every confirmed co-signer: the people who evaluate and who get the credit."""
    people = [proposal.lead] if proposal.lead_id else []
    people += [c.member for c in proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related("member")]
    return people


def period_of(committee, when: dt.date) -> tuple[str, Session | None]:
    """A proposal belongs to the session in progress on its date (大会期间), else to the recess after the
    latest session that has begun (闭会期间)."""
    sessions = Session.objects.for_committee(committee)
    current = sessions.filter(start_date__lte=when, end_date__gte=when).order_by("-start_date").first()
    if current:
        return Proposal.Period.SESSION, current
    return Proposal.Period.RECESS, sessions.filter(start_date__lte=when).order_by("-start_date").first()


def answer_categories(committee) -> dict[str, str]:
    return {code: _(label) for code, label in setting(committee, "proposals.answer_categories")}


def _is_lead_user(proposal: Proposal, user) -> bool:
    return proposal.lead_id is not None and proposal.lead.user_id == user.pk


def _require_author(proposal: Proposal, by) -> None:
    """Only the lead member writes their proposal; collective proposals are written by the proposal office."""
    if proposal.kind == Proposal.Kind.COLLECTIVE or proposal.lead_id is None:
        if Role.STAFF_PROPOSALS not in _roles(by, proposal):
            raise PermissionDenied
    elif not _is_lead_user(proposal, by):
        raise PermissionDenied


def _check_body(proposal: Proposal) -> None:
    limit = setting(proposal.committee, "proposals.body_max_chars")
    length = len(proposal.problem) + len(proposal.analysis) + len(proposal.suggestion)
    if length > limit:
        raise ValidationError(_("正文共 %(n)s 字,超过了 %(limit)s 字的限制。") % {"n": length, "limit": limit})


def _users(members) -> list:
    return [m.user for m in members if m and m.user_id]


def _unit_users(units) -> list:
    return [g.user for g in Membership.objects.filter(role=Role.UNIT, handling_unit__in=units).select_related("user")]


def _office_users(committee) -> list:
    return [
        g.user for g in Membership.objects.filter(committee=committee, role=Role.STAFF_PROPOSALS).select_related("user")
    ]


# --------------------------------------------------------------------------- 1. draft and submit


@transaction.atomic
def proposal_create(*, committee, by, lead: Member | None = None, collective_name: str = "", **values) -> Proposal:
    """A new draft. Members write their own (lead = themselves); staff write collective proposals."""
    if lead is None and not collective_name:
        raise ValidationError(_("请选择第一提案人,或填写集体提案的提案单位。"))
    if lead is not None and lead.committee_id != committee.pk:
        raise ValidationError(_("所选委员不属于本委员会。"))
    category = values.get("category")
    if category is not None and category.committee_id != committee.pk:
        raise ValidationError({"category": _("所选类别不属于本委员会。")})
    _period, session = period_of(committee, timezone.localdate())
    term = session.term if session else lead.term if lead else None
    if term is None:
        raise ValidationError(_("本委员会还没有设置届次,不能提交提案。"))
    proposal = Proposal(
        committee=committee,
        created_by=by,
        lead=lead,
        collective_name=collective_name.strip(),
        term=term,
        kind=Proposal.Kind.COLLECTIVE if collective_name else Proposal.Kind.INDIVIDUAL,
        **{k: v for k, v in values.items() if k in DRAFT_FIELDS},
    )
    if not proposal.title.strip():
        raise ValidationError({"title": _("请填写案由(标题)。")})
    _check_body(proposal)
    proposal.save()
    events.record(subject=proposal, action="proposal.created", actor=by, to_state=proposal.state)
    return proposal


@transaction.atomic
def proposal_edit(*, proposal: Proposal, by, **values) -> Proposal:
    _require_author(proposal, by)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.state not in ("draft", "revising"):
        raise TransitionRefused(_("只有草稿或退回修改的提案可以修改。"))
    changed = {}
    for k, v in values.items():
        if k in DRAFT_FIELDS and getattr(locked, k) != v:
            if k == "category" and v is not None and v.committee_id != locked.committee_id:
                raise ValidationError({"category": _("所选类别不属于本委员会。")})
            changed[k] = str(v)
            setattr(locked, k, v)
    if not locked.title.strip():
        raise ValidationError({"title": _("请填写案由(标题)。")})
    _check_body(locked)
    locked.save()
    if changed:
        events.record(subject=locked, action="proposal.edited", actor=by, data={"fields": sorted(changed)})
    return locked


@transaction.atomic
def cosigner_invite(*, proposal: Proposal, members, by) -> list[CoSigner]:
    _require_author(proposal, by)
    if proposal.state not in ("draft", "revising"):
        raise TransitionRefused(_("提案提交后不能再邀请联名人。"))
    invited = []
    for member in members:
        if member.committee_id != proposal.committee_id or member.state != Member.State.ACTIVE:
            raise ValidationError(_("「%(name)s」不是本委员会的在任委员。") % {"name": member})
        if member.pk == proposal.lead_id:
            raise ValidationError(_("第一提案人不能邀请自己联名。"))
        row, created = CoSigner.objects.get_or_create(
            proposal=proposal,
            member=member,
            defaults={"committee": proposal.committee, "order": proposal.cosigners.count() + 1},
        )
        if not created and row.state in (CoSigner.State.WITHDRAWN, CoSigner.State.DECLINED):
            row.state = CoSigner.State.INVITED
            row.responded_at = None
            row.save(update_fields=["state", "responded_at"])
        elif not created:
            continue
        invited.append(row)
    if invited:
        Proposal.objects.filter(pk=proposal.pk).update(kind=Proposal.Kind.JOINT)
        proposal.kind = Proposal.Kind.JOINT
        events.record(
            subject=proposal,
            action="proposal.cosigner_invited",
            actor=by,
            data={"members": [str(c.member) for c in invited]},
        )
        notify(
            committee=proposal.committee,
            users=_users(c.member for c in invited),
            title=_("联名邀请:%(title)s") % {"title": proposal.title},
            body=_("%(lead)s 邀请您联名提出提案,请确认或谢绝。") % {"lead": proposal.lead},
            url=f"/proposals/{proposal.pk}/",
        )
    return invited


def cosigner_respond(*, cosigner: CoSigner, by, confirm: bool, reason: str = ""):
    if cosigner.member.user_id != by.pk:
        raise PermissionDenied
    if cosigner.proposal.state not in ("draft", "revising"):
        raise TransitionRefused(_("提案已提交,联名邀请已结束。"))
    action = "confirm" if confirm else "decline"
    return apply(COSIGNER, cosigner, action, by=by, reason=reason, changes={"responded_at": timezone.now()})


def cosigner_withdraw(*, cosigner: CoSigner, by):
    _require_author(cosigner.proposal, by)
    return apply(COSIGNER, cosigner, "withdraw", by=by)


def _submit_guard(proposal: Proposal) -> str | None:
    if proposal.cosigners.filter(state=CoSigner.State.INVITED).exists():
        return _("还有联名人未确认,请等待确认或撤回邀请后再提交。")
    if not (proposal.problem.strip() and proposal.suggestion.strip()):
        return _("请填写“问题”和“建议”后再提交。")
    if proposal.category_id is None:
        return _("请选择提案类别。")
    return None


def proposal_submit(*, proposal: Proposal, by):
    """The lead member submits (staff submit collective proposals). The date decides session or recess."""
    _require_author(proposal, by)
    message = _submit_guard(proposal)
    if message:
        raise TransitionRefused(message)
    period, session = period_of(proposal.committee, timezone.localdate())
    changes = {"submitted_at": timezone.now(), "period": period, "session": session}
    event = apply(PROPOSAL, proposal, "submit", by=by, changes=changes)
    notify(
        committee=proposal.committee,
        users=_office_users(proposal.committee),
        title=_("新提案待审查:%(title)s") % {"title": proposal.title},
        url=f"/proposals/staff/{proposal.pk}/",
    )
    return event


def proposal_withdraw(*, proposal: Proposal, by):
    _require_author(proposal, by)
    return apply(PROPOSAL, proposal, "withdraw", by=by)


def _roles(user, obj):
    from lvzhi.core.permissions import roles_of

    return roles_of(user, obj.committee)


# --------------------------------------------------------------------------- 2. review


def _next_number(proposal: Proposal) -> tuple[int, str]:
    """Take the next serial of the proposal's session under a row lock: no duplicate, no gap."""
    scope = f"session:{proposal.session_id}" if proposal.session_id else f"term:{proposal.term_id}"
    NumberCounter.objects.get_or_create(committee=proposal.committee, scope=scope)
    counter = NumberCounter.objects.select_for_update().get(committee=proposal.committee, scope=scope)
    counter.last += 1
    counter.save(update_fields=["last"])
    label = proposal.session.name.removesuffix("会议") if proposal.session_id else proposal.term.name
    number = setting(proposal.committee, "proposals.number_format").format(session=label, serial=counter.last)
    return counter.last, number


def proposal_file(*, proposal: Proposal, by, category=None):
    """立案: the proposal gets the next number of its session. Numbers are never reused."""

    data = {}

    def on_apply(locked):
        locked.serial, locked.number = _next_number(locked)
        data["number"] = locked.number
        locked.filed_at = timezone.now()
        if category is not None:
            if category.committee_id != locked.committee_id:
                raise ValidationError(_("所选类别不属于本委员会。"))
            locked.category = category

    with transaction.atomic():
        event = apply(PROPOSAL, proposal, "file", by=by, on_apply=on_apply, data=data)
        proposal.refresh_from_db(fields=["serial", "number", "filed_at", "category"])
    notify(
        committee=proposal.committee,
        users=_users(proposers(proposal)),
        title=_("您的提案已立案:%(number)s") % {"number": proposal.number},
        url=f"/proposals/{proposal.pk}/",
    )
    return event


def proposal_reject(*, proposal: Proposal, by, reason: str):
    """不予立案 with a reason (from the committee's list, or written out)."""
    event = apply(PROPOSAL, proposal, "reject", by=by, reason=reason)
    notify(
        committee=proposal.committee,
        users=_users(proposers(proposal)),
        title=_("您的提案未予立案:%(title)s") % {"title": proposal.title},
        body=reason,
        url=f"/proposals/{proposal.pk}/",
    )
    return event


def proposal_send_back(*, proposal: Proposal, by, reason: str):
    event = apply(PROPOSAL, proposal, "send_back", by=by, reason=reason)
    notify(
        committee=proposal.committee,
        users=_users([proposal.lead]),
        title=_("提案退回修改:%(title)s") % {"title": proposal.title},
        body=reason,
        url=f"/proposals/{proposal.pk}/",
    )
    return event


def proposal_convert(*, proposal: Proposal, by, to: str, reason: str):
    """Convert to an opinion (意见建议) or to a public-opinion report (社情民意)."""
    action = {"opinion": "convert_opinion", "report": "convert_report"}[to]
    event = apply(PROPOSAL, proposal, action, by=by, reason=reason)
    notify(
        committee=proposal.committee,
        users=_users(proposers(proposal)),
        title=_("您的提案已转办:%(title)s") % {"title": proposal.title},
        body=reason,
        url=f"/proposals/{proposal.pk}/",
    )
    return event


@transaction.atomic
def proposal_merge(*, lead: Proposal, others, by):
    """并案: the others are merged into `lead`; their proposers keep the credit (they become co-signers of
    the lead proposal, confirmed)."""
    if lead.state not in ("submitted", "filed"):
        raise TransitionRefused(_("主提案须为待审查或已立案的提案。"))
    events_ = []
    for other in others:
        if other.pk == lead.pk or other.committee_id != lead.committee_id:
            raise ValidationError(_("不能把提案并入它自己或其他委员会的提案。"))
        events_.append(apply(PROPOSAL, other, "merge", by=by, changes={"merged_into": lead}, data={"into": lead.pk}))
        for member in proposers(other):
            if member.pk != lead.lead_id:
                CoSigner.objects.update_or_create(
                    proposal=lead,
                    member=member,
                    defaults={
                        "committee": lead.committee,
                        "state": CoSigner.State.CONFIRMED,
                        "responded_at": timezone.now(),
                        "order": 100 + other.pk,
                    },
                )
    return events_


# --------------------------------------------------------------------------- 3. assignment


def proposal_assign(
    *,
    proposal: Proposal,
    by,
    lead_unit: HandlingUnit | None = None,
    co_units=(),
    split_units=(),
    due_date: dt.date | None = None,
):
    """交办: one lead unit and any co-units, or split among units. Re-assignment cancels the open parts."""
    units = ([lead_unit] if lead_unit else []) + list(co_units) + list(split_units)
    if lead_unit and split_units:
        raise ValidationError(_("主办/会办与分办只能选一种方式。"))
    if not lead_unit and len(split_units) < 2:
        raise ValidationError(_("请选择主办单位,或至少两个分办单位。"))
    if len({u.pk for u in units}) != len(units):
        raise ValidationError(_("同一单位不能重复选择。"))
    for unit in units:
        if unit.committee_id != proposal.committee_id or not unit.active:
            raise ValidationError(_("「%(unit)s」不是本委员会启用的承办单位。") % {"unit": unit})
    today = timezone.localdate()
    due = due_date or today + relativedelta(months=setting(proposal.committee, "proposals.due_months"))
    if due <= today:
        raise ValidationError(_("答复期限须晚于今天。"))
    return_deadline = today + dt.timedelta(days=setting(proposal.committee, "proposals.return_days"))

    def on_apply(locked):
        for old in locked.assignments.exclude(state__in=["returned", "cancelled", "answered"]):
            apply(ASSIGNMENT, old, "cancel", by=None)
        rows = [(lead_unit, Assignment.Role.LEAD)] if lead_unit else []
        rows += [(u, Assignment.Role.CO) for u in co_units] + [(u, Assignment.Role.SPLIT) for u in split_units]
        for unit, role in rows:
            Assignment.objects.create(
                committee=locked.committee,
                proposal=locked,
                unit=unit,
                role=role,
                due_date=due,
                return_deadline=return_deadline,
            )
        locked.due_date = due
        locked.assigned_at = timezone.now()

    with transaction.atomic():
        event = apply(
            PROPOSAL,
            proposal,
            "assign",
            by=by,
            on_apply=on_apply,
            data={"units": [str(u) for u in units], "due_date": due.isoformat()},
        )
    notify(
        committee=proposal.committee,
        users=_unit_users(units),
        title=_("新交办提案:%(number)s %(title)s") % {"number": proposal.number, "title": proposal.title},
        body=_("请于 %(date)s 前答复。") % {"date": due.isoformat()},
        url=f"/proposals/unit/{proposal.pk}/",
    )
    return event


def _my_assignment(proposal: Proposal, by) -> Assignment:
    unit = unit_of(by, proposal.committee)
    assignment = (
        proposal.assignments.filter(unit=unit).exclude(state__in=["cancelled"]).order_by("-id").first()
        if unit
        else None
    )
    if assignment is None:
        raise PermissionDenied
    return assignment


@transaction.atomic
def assignment_accept(*, proposal: Proposal, by) -> Assignment:
    assignment = _my_assignment(proposal, by)
    apply(ASSIGNMENT, assignment, "accept", by=by, changes={"responded_at": timezone.now()})
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    answering = locked.assignments.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT]).exclude(
        state__in=["cancelled", "returned"]
    )
    if locked.state == "assigned" and not answering.filter(state="assigned").exists():
        apply(PROPOSAL, locked, "start", by=None)
    proposal.refresh_from_db()
    return assignment


def assignment_return(*, proposal: Proposal, by, reason: str) -> Assignment:
    """退回: within the return window; the proposal goes back to the office for re-assignment."""
    with transaction.atomic():
        assignment = _my_assignment(proposal, by)
        if timezone.localdate() > assignment.return_deadline:
            raise TransitionRefused(
                _("已超过退回期限(%(date)s),不能退回,请与提案委联系。") % {"date": assignment.return_deadline}
            )
        apply(ASSIGNMENT, assignment, "return", by=by, reason=reason, changes={"responded_at": timezone.now()})
        apply(PROPOSAL, proposal, "unit_return", by=None, reason=reason, data={"unit": str(assignment.unit)})
    notify(
        committee=proposal.committee,
        users=_office_users(proposal.committee),
        title=_("承办单位退回提案:%(number)s") % {"number": proposal.number},
        body=reason,
        url=f"/proposals/staff/{proposal.pk}/",
    )
    return assignment


@transaction.atomic
def contact_record(*, proposal: Proposal, by, method: str, date: dt.date, note: str) -> Contact:
    assignment = _my_assignment(proposal, by)
    if assignment.state not in ("accepted", "opinion_given", "answered"):
        raise TransitionRefused(_("请先签收提案。"))
    if date > timezone.localdate():
        raise ValidationError(_("沟通日期不能晚于今天。"))
    if not note.strip():
        raise ValidationError(_("请填写沟通情况。"))
    contact = Contact.objects.create(
        committee=proposal.committee,
        proposal=proposal,
        unit=assignment.unit,
        method=method,
        date=date,
        note=note.strip(),
        recorded_by=by,
    )
    events.record(
        subject=proposal,
        action="proposal.contact",
        actor=by,
        data={"unit": str(assignment.unit), "method": method, "date": date.isoformat()},
    )
    return contact


def co_opinion_give(*, proposal: Proposal, by, opinion: str) -> Assignment:
    """A co-unit (会办) gives its opinion to the lead unit, which countersigns the answer (会签)."""
    assignment = _my_assignment(proposal, by)
    if assignment.role != Assignment.Role.CO:
        raise TransitionRefused(_("只有会办单位需要提出会办意见。"))
    if not opinion.strip():
        raise ValidationError(_("请填写会办意见。"))
    apply(ASSIGNMENT, assignment, "give_opinion", by=by, changes={"opinion": opinion.strip()})
    return assignment


def answer_submit(*, proposal: Proposal, by, category: str, text: str, letter=None) -> Answer:
    """The lead unit (or each split unit) answers; the proposal is answered when every answering unit has."""
    if category not in answer_categories(proposal.committee):
        raise ValidationError({"category": _("请选择答复类别。")})
    if not text.strip():
        raise ValidationError({"text": _("请填写答复内容。")})
    with transaction.atomic():
        assignment = _my_assignment(proposal, by)
        if assignment.role == Assignment.Role.CO:
            raise TransitionRefused(_("会办单位不单独答复,请向主办单位提出会办意见。"))
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state not in ("handling", "rehandling"):
            raise TransitionRefused(
                _("当前状态为「%(state)s」,不能答复。") % {"state": PROPOSAL.state_label(locked.state)}
            )
        pending = (
            locked.assignments.filter(role=Assignment.Role.CO, state="accepted").count()
            + locked.assignments.filter(role=Assignment.Role.CO, state="assigned").count()
        )
        if assignment.role == Assignment.Role.LEAD and pending:
            raise TransitionRefused(_("还有 %(n)s 个会办单位未提出会办意见,请督促后再答复。") % {"n": pending})
        apply(ASSIGNMENT, assignment, "answer", by=by)
        answer = Answer.objects.create(
            committee=locked.committee,
            proposal=locked,
            unit=assignment.unit,
            round=locked.round,
            category=category,
            text=text.strip(),
            letter=letter,
            answered_by=by,
        )
        open_parts = locked.assignments.filter(role__in=[Assignment.Role.LEAD, Assignment.Role.SPLIT]).exclude(
            state__in=["answered", "cancelled", "returned"]
        )
        if not open_parts.exists():
            apply(
                PROPOSAL,
                locked,
                "answer",
                by=None,
                changes={"answer_category": category},
                data={"unit": str(assignment.unit), "category": category},
            )
    notify(
        committee=proposal.committee,
        users=_office_users(proposal.committee),
        title=_("提案答复待审核:%(number)s") % {"number": proposal.number},
        url=f"/proposals/staff/{proposal.pk}/",
    )
    proposal.refresh_from_db()
    return answer


def answer_approve(*, proposal: Proposal, by, category: str | None = None):
    """The proposal office reviews the answer (may change its category) and sends it to the proposers."""
    categories = answer_categories(proposal.committee)
    if category and category not in categories:
        raise ValidationError({"category": _("请选择答复类别。")})

    def on_apply(locked):
        locked.replied_at = timezone.now()
        if category and category != locked.answer_category:
            for answer in locked.answers.filter(round=locked.round):
                answer.reviewed_category = category
                answer.save(update_fields=["reviewed_category"])
            events.record(
                subject=locked,
                action="proposal.category_changed",
                actor=by,
                data={"from": locked.answer_category, "to": category},
            )
            locked.answer_category = category

    event = apply(PROPOSAL, proposal, "approve_answer", by=by, on_apply=on_apply)
    notify(
        committee=proposal.committee,
        users=_users(proposers(proposal)),
        title=_("您的提案已答复,请评价:%(number)s") % {"number": proposal.number},
        url=f"/proposals/{proposal.pk}/",
    )
    return event


def answer_send_back(*, proposal: Proposal, by, reason: str):
    with transaction.atomic():
        event = apply(PROPOSAL, proposal, "send_back_answer", by=by, reason=reason)
        for assignment in proposal.assignments.filter(state="answered"):
            apply(ASSIGNMENT, assignment, "reopen", by=None, reason=reason)
        proposal.answers.filter(round=proposal.round).delete()
    return event


# --------------------------------------------------------------------------- 5. evaluation and closing


def _finish_round(locked: Proposal) -> None:
    """When every proposer has evaluated: 不满意 in the first round → re-handling; otherwise closed."""
    people = proposers(locked)
    done = set(locked.evaluations.filter(round=locked.round).values_list("member_id", flat=True))
    if any(m.pk not in done for m in people):
        return
    unsatisfied = locked.evaluations.filter(round=locked.round, rating=Evaluation.Rating.UNSATISFIED).exists()
    if unsatisfied and locked.round == 1:
        due = timezone.localdate() + relativedelta(months=setting(locked.committee, "proposals.rehandle_months"))
        apply(PROPOSAL, locked, "rehandle", by=None, changes={"round": 2, "due_date": due})
        for assignment in locked.assignments.filter(state="answered"):
            apply(ASSIGNMENT, assignment, "reopen", by=None)
            Assignment.objects.filter(pk=assignment.pk).update(due_date=due)
        notify(
            committee=locked.committee,
            users=_unit_users([a.unit for a in locked.assignments.exclude(state="cancelled")]),
            title=_("提案人不满意,请重新办理:%(number)s") % {"number": locked.number},
            url=f"/proposals/unit/{locked.pk}/",
        )
    else:
        apply(PROPOSAL, locked, "close", by=None, changes={"closed_at": timezone.now()})


def evaluation_submit(*, proposal: Proposal, by, rating: str, comment: str = "") -> Evaluation:
    """A proposer (the lead or a confirmed co-signer) evaluates the answer of the current round."""
    if rating not in Evaluation.Rating.values:
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意。")})
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        member = next((m for m in proposers(locked) if m.user_id == by.pk), None)
        if member is None:
            raise PermissionDenied
        if locked.state != "replied":
            raise TransitionRefused(
                _("当前状态为「%(state)s」,不能评价。") % {"state": PROPOSAL.state_label(locked.state)}
            )
        if locked.evaluations.filter(member=member, round=locked.round).exists():
            raise TransitionRefused(_("您已评价过本轮答复。"))
        evaluation = Evaluation.objects.create(
            committee=locked.committee,
            proposal=locked,
            member=member,
            round=locked.round,
            rating=rating,
            comment=comment.strip(),
        )
        events.record(
            subject=locked,
            action="proposal.evaluated",
            actor=by,
            data={"member": member.pk, "rating": rating, "round": locked.round},
        )
        _finish_round(locked)
    proposal.refresh_from_db()
    return evaluation


def evaluations_default(*, committee, today: dt.date | None = None) -> int:
    """If the committee configures it, answers not evaluated within N days count as evaluated by default
    (the rating configured); the rule and date are recorded. Returns how many evaluations were recorded."""
    days = setting(committee, "proposals.default_evaluation_days")
    if not days:
        return 0
    today = today or timezone.localdate()
    rating = setting(committee, "proposals.default_evaluation_rating")
    count = 0
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.max))
    for proposal in Proposal.objects.for_committee(committee).filter(state="replied", replied_at__lte=cutoff):
        with transaction.atomic():
            locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
            if locked.state != "replied":
                continue
            done = set(locked.evaluations.filter(round=locked.round).values_list("member_id", flat=True))
            for member in proposers(locked):
                if member.pk in done:
                    continue
                Evaluation.objects.create(
                    committee=committee,
                    proposal=locked,
                    member=member,
                    round=locked.round,
                    rating=rating,
                    by_default=True,
                    comment=_("答复送达 %(days)s 日内未评价,按规定视为%(rating)s。")
                    % {"days": days, "rating": Evaluation.Rating(rating).label},
                )
                events.record(
                    subject=locked,
                    action="proposal.evaluated",
                    actor=None,
                    data={"member": member.pk, "rating": rating, "round": locked.round, "by_default": True},
                )
                count += 1
            _finish_round(locked)
    return count


# --------------------------------------------------------------------------- 6. key, excellent, public


@transaction.atomic
def proposal_mark_key(*, proposal: Proposal, by, supervisor=None, key: bool = True) -> Proposal:
    """重点提案, chosen by the chairman's meeting, with a leader assigned to supervise (督办)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.number == "":
        raise TransitionRefused(_("只有已立案的提案可以列为重点提案。"))
    if key and supervisor is not None and Role.LEADER not in _roles(supervisor, locked):
        raise ValidationError(_("督办领导须为本委员会的领导。"))
    locked.is_key = key
    locked.supervisor = supervisor if key else None
    locked.save(update_fields=["is_key", "supervisor", "updated_at"])
    events.record(
        subject=locked,
        action="proposal.key_marked" if key else "proposal.key_unmarked",
        actor=by,
        data={"supervisor": str(supervisor) if supervisor else ""},
    )
    if key and supervisor is not None:
        notify(
            committee=locked.committee,
            users=[supervisor],
            title=_("请督办重点提案:%(number)s") % {"number": locked.number},
            url=f"/proposals/staff/{locked.pk}/",
        )
    return locked


@transaction.atomic
def progress_note_add(*, proposal: Proposal, by, text: str) -> ProgressNote:
    if not proposal.is_key:
        raise TransitionRefused(_("只有重点提案记录督办进展。"))
    if not text.strip():
        raise ValidationError(_("请填写进展情况。"))
    note = ProgressNote.objects.create(committee=proposal.committee, proposal=proposal, author=by, text=text.strip())
    events.record(subject=proposal, action="proposal.progress", actor=by)
    return note


@transaction.atomic
def proposal_mark_excellent(*, proposal: Proposal, by, year: int) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.number == "" or locked.merged_into_id:
        raise TransitionRefused(_("只有已立案的提案可以评为优秀提案。"))
    locked.excellent_year = year
    locked.save(update_fields=["excellent_year", "updated_at"])
    events.record(subject=locked, action="proposal.excellent", actor=by, data={"year": year})
    return locked


@transaction.atomic
def proposal_publish(*, proposal: Proposal, by, publish: bool = True) -> Proposal:
    """Publish the proposal and its answer on the public pages, only where the proposer agreed."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if publish:
        if not locked.agree_publish:
            raise TransitionRefused(_("提案人未同意公开,不能公开。"))
        if locked.state not in ("replied", "closed", "rehandling"):
            raise TransitionRefused(_("答复送达提案人后才能公开。"))
        locked.published_at = timezone.now()
    else:
        locked.published_at = None
    locked.save(update_fields=["published_at", "updated_at"])
    events.record(subject=locked, action="proposal.published" if publish else "proposal.unpublished", actor=by)
    return locked


__all__ = [
    name
    for name in dir()
    if name.startswith(
        ("proposal_", "cosigner_", "assignment_", "answer_", "evaluation", "contact_", "co_opinion", "progress_")
    )
]
