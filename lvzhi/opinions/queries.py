"""Reads: my reports, the staff queue, one report with its chain (forwards, adoptions, instructions),
and the statistics."""

from collections import Counter, defaultdict

from django.db.models import Q

from .models import Adoption, Instruction, Level, OpinionReport, ReportAuthor
from .workflow import REPORT


def mine(committee, user):
    """The reports I wrote or am an author of (originals only: forwarded copies live upstairs)."""
    return (
        OpinionReport.objects.for_committee(committee)
        .filter(Q(submitted_by=user) | Q(author_rows__member__user=user))
        .distinct()
        .order_by("-created_at", "-id")
    )


def queue(committee, *, state="", topic="", source="", q="", year=None):
    qs = (
        OpinionReport.objects.for_committee(committee)
        .exclude(state__in=("draft", "withdrawn"))
        .select_related("issue", "contact_point", "studio", "submitted_by", "forwarded_from__committee")
        .prefetch_related("author_rows__member__sector")
        .order_by("-submitted_at", "-id")
    )
    if state == "open":
        qs = qs.filter(state__in=("submitted", "editing", "accepted"))
    elif state:
        qs = qs.filter(state=state)
    if topic:
        qs = qs.filter(topic=topic)
    if source == "forwarded":
        qs = qs.filter(forwarded_from__isnull=False)
    elif source:
        qs = qs.filter(source=source, forwarded_from__isnull=True)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(author_rows__member__name__icontains=q)).distinct()
    if year:
        qs = qs.filter(submitted_at__year=year)
    return qs


def chain(report: OpinionReport) -> dict:
    """What a detail page shows about the report's way up: forwarded copies (with their status), where it
    came from, adoptions and instructions of the whole chain."""
    root_id = report.root_id or report.pk
    copies = list(OpinionReport.objects.filter(Q(root_id=root_id)).select_related("committee", "issue").order_by("id"))
    for c in copies:
        c.state_label = REPORT.state_label(c.state)
    adoptions = list(Adoption.objects.filter(root_id=root_id).select_related("committee"))
    instructions = list(Instruction.objects.filter(root_id=root_id).select_related("committee"))
    order = {lv: i for i, lv in enumerate(Level.values)}
    adoptions.sort(key=lambda a: order[a.level])
    return {"copies": copies, "adoptions": adoptions, "instructions": instructions}


def stats(committee, year=None) -> dict:
    """Counts for the statistics page: totals, adoptions by level, by author (with sector), by sector and
    by topic. Reports counted are this committee's (originals and copies received from below)."""
    reports = OpinionReport.objects.for_committee(committee).exclude(state__in=("draft", "withdrawn"))
    if year:
        reports = reports.filter(submitted_at__year=year)
    rows = list(reports.values("id", "state", "topic", "edited_at", "root_id", "source"))
    ids = [r["id"] for r in rows]
    roots = {r["id"]: (r["root_id"] or r["id"]) for r in rows}
    adoptions = list(Adoption.objects.filter(root_id__in=set(roots.values())).values("root_id", "level"))
    instructions = list(Instruction.objects.filter(root_id__in=set(roots.values())).values("root_id", "level"))
    adopted_roots = defaultdict(set)
    for a in adoptions:
        adopted_roots[a["root_id"]].add(a["level"])
    instructed_roots = Counter(i["root_id"] for i in instructions)
    totals = {
        "submitted": len(rows),
        "edited": sum(1 for r in rows if r["edited_at"]),
        "published": sum(1 for r in rows if r["state"] == "published"),
        "adopted": sum(1 for r in rows if adopted_roots.get(roots[r["id"]])),
        "instructed": sum(1 for r in rows if instructed_roots.get(roots[r["id"]])),
        "forwarded_in": sum(1 for r in rows if r["root_id"]),
    }
    by_level = Counter()
    for r in rows:
        for lv in adopted_roots.get(roots[r["id"]], ()):
            by_level[lv] += 1
    levels = [(lv.value, lv.label, by_level.get(lv.value, 0)) for lv in Level]
    instructed_by_level = Counter()
    for i in instructions:
        if i["root_id"] in set(roots.values()):
            instructed_by_level[i["level"]] += 1
    state_of = {r["id"]: r for r in rows}

    def bucket():
        return {"submitted": 0, "published": 0, "adopted": 0, "instructed": 0}

    def add(b, rid):
        r = state_of[rid]
        b["submitted"] += 1
        b["published"] += r["state"] == "published"
        b["adopted"] += bool(adopted_roots.get(roots[rid]))
        b["instructed"] += bool(instructed_roots.get(roots[rid]))

    by_topic = defaultdict(bucket)
    for r in rows:
        add(by_topic[r["topic"] or "—"], r["id"])
    by_author, by_sector, names = defaultdict(bucket), defaultdict(bucket), {}
    for a in ReportAuthor.objects.filter(report_id__in=ids).values(
        "report_id", "member_id", "member__name", "member__sector__name"
    ):
        names[a["member_id"]] = (a["member__name"], a["member__sector__name"])
        add(by_author[a["member_id"]], a["report_id"])
    sector_seen = set()
    for a in ReportAuthor.objects.filter(report_id__in=ids).values("report_id", "member__sector__name"):
        key = (a["report_id"], a["member__sector__name"])
        if key not in sector_seen:  # a report counts once per sector however many authors it has there
            sector_seen.add(key)
            add(by_sector[a["member__sector__name"]], a["report_id"])
    by_source = Counter(r["source"] for r in rows if not r["root_id"])
    return {
        "totals": totals,
        "levels": levels,
        "instructed_levels": [(lv.value, lv.label, instructed_by_level.get(lv.value, 0)) for lv in Level],
        "by_topic": sorted(by_topic.items(), key=lambda kv: -kv[1]["submitted"]),
        "by_author": sorted(
            ((names[k][0], names[k][1], v) for k, v in by_author.items()), key=lambda t: (-t[2]["submitted"], t[0])
        ),
        "by_sector": sorted(by_sector.items(), key=lambda kv: -kv[1]["submitted"]),
        "by_source": [(s.label, by_source.get(s.value, 0)) for s in OpinionReport.Source],
    }
