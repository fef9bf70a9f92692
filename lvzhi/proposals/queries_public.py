"""Reads shared by the exports, the public pages and the API: what of a proposal is shown outside the
office – the published proposals, the answers that have reached the proposers, and the proposers as
name and sector only (never a mobile number, employer or birth date)."""

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.utils.translation import gettext as _

from lvzhi.org.models import Committee

from .models import Answer, Assignment, CoSigner, Proposal
from .services import answer_categories

REPLIED_STATES = ("replied", "closed")


def answer_is_approved(proposal: Proposal, answer: Answer) -> bool:
    """An answer reached the proposers once the office approved it: every earlier round, and the current
    round once the proposal is replied or closed (an answer under review is not shown to them)."""
    return answer.round < proposal.round or proposal.state in REPLIED_STATES


def approved_answers(proposal: Proposal) -> list[Answer]:
    answers = getattr(proposal, "all_answers", None)
    if answers is None:
        answers = list(proposal.answers.select_related("unit").order_by("round", "answered_at", "id"))
    return [a for a in answers if answer_is_approved(proposal, a)]


def category_label(committee, code: str) -> str:
    """ "A 已解决或采纳" for an answer category code, in the user's language."""
    if not code:
        return ""
    label = answer_categories(committee).get(code)
    return f"{code} {label}" if label else code


def proposer_rows(proposal: Proposal) -> list[dict]:
    """The proposers as the public and the documents show them: the lead, then the confirmed co-signers,
    each with name and sector only. A collective proposal shows the body that submitted it."""
    rows = []
    if proposal.lead_id:
        rows.append({"name": proposal.lead.name, "sector": proposal.lead.sector.name, "lead": True})
    elif proposal.collective_name:
        rows.append({"name": proposal.collective_name, "sector": "", "lead": True})
    cosigners = getattr(proposal, "confirmed_cosigners", None)
    if cosigners is None:
        cosigners = proposal.cosigners.filter(state=CoSigner.State.CONFIRMED).select_related("member__sector")
    rows += [{"name": c.member.name, "sector": c.member.sector.name, "lead": False} for c in cosigners]
    return rows


def with_details(qs, *, assignments: bool = True):
    """Everything a document or a detail page shows of each proposal, in a fixed number of queries.
    `assignments=False` when `qs` already prefetches them as `live_assignments` (queries.review_queue)."""
    confirmed = CoSigner.objects.filter(state=CoSigner.State.CONFIRMED).select_related("member__sector")
    lookups = [
        Prefetch("cosigners", queryset=confirmed, to_attr="confirmed_cosigners"),
        Prefetch("answers", queryset=Answer.objects.select_related("unit"), to_attr="all_answers"),
    ]
    if assignments:
        lead_first = Case(
            When(role=Assignment.Role.LEAD, then=Value(0)),
            When(role=Assignment.Role.SPLIT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        live = Assignment.objects.exclude(state="cancelled").select_related("unit").order_by(lead_first, "id")
        lookups.append(Prefetch("assignments", queryset=live, to_attr="live_assignments"))
    related = ("lead__sector", "category", "session", "term", "committee", "merged_into")
    return qs.select_related(*related).prefetch_related(*lookups)


def session_volume(committee, session):
    """Every filed proposal of a session (it has a number), in number order: the compiled volume."""
    return with_details(
        Proposal.objects.for_committee(committee).filter(session=session, serial__isnull=False).order_by("serial", "id")
    )


# --------------------------------------------------------------------------- public pages


def public_committees():
    """Committees that have published at least one proposal, most senior level first."""
    published = Proposal.objects.filter(published_at__isnull=False, agree_publish=True).values("committee")
    return Committee.objects.filter(pk__in=published).order_by("level", "name")


def published_anywhere():
    """Every committee's published proposals (a public proposal's page names its committee itself)."""
    return Proposal.objects.filter(published_at__isnull=False, agree_publish=True)


def published(committee, *, q: str = "", session=None, category=None):
    """The committee's published proposals (published by the office, agreed by the proposer), newest
    first, searched in the title and the body."""
    qs = Proposal.objects.for_committee(committee).filter(published_at__isnull=False, agree_publish=True)
    if session is not None:
        qs = qs.filter(session=session)
    if category is not None:
        qs = qs.filter(category=category)
    for word in q.split()[:5]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(problem__icontains=word)
            | Q(analysis__icontains=word)
            | Q(suggestion__icontains=word)
            | Q(number__icontains=word)
        )
    return qs.select_related("lead__sector", "category", "session").order_by("-published_at", "-id")


def state_word(proposal: Proposal) -> str:
    from .workflow import PROPOSAL

    return str(PROPOSAL.state_label(proposal.state)) if proposal.state else _("草稿")
