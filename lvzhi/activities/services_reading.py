"""Reading (书香政协): staff keep the books and the reading groups (members, a convener, the books read
together); members record what they read with their notes (心得). `reading.recorded` credits the member
(data["members"] = [member], data["lead"] = member) as the events contract says."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import events
from lvzhi.org.models import Member

from .models import Book, ReadingGroup, ReadingRecord
from .services_content import _store, image_check

NOTES_MIN = 10


def book_add(*, committee, by, title: str, author: str = "", cover=None) -> Book:
    title, author = (title or "").strip(), (author or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写书名。")})
    ext = image_check(cover, max_mb=5) if cover is not None else ""
    book = Book(committee=committee, title=title[:120], author=author[:120])
    try:
        with transaction.atomic():
            if Book.objects.for_committee(committee).filter(title=book.title, author=book.author).exists():
                raise ValidationError({"title": _("书目中已有《%(title)s》。") % {"title": book.title}})
            if cover is not None:
                _store(book.cover, ext, cover)
            book.save()
            events.record(subject=book, action="reading.book_added", actor=by, data={"title": book.title})
    except Exception:
        if book.cover.name:
            book.cover.storage.delete(book.cover.name)
        raise
    return book


@transaction.atomic
def group_save(
    *, committee, by, name: str, description: str = "", convener=None, members=(), books=(), group=None
) -> ReadingGroup:
    """Create or edit a reading group; the convener must be one of its members."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写小组名称。")})
    members, books = list(members), list(books)
    for m in members:
        if m.committee_id != committee.pk or m.state != Member.State.ACTIVE:
            raise ValidationError({"members": _("「%(name)s」不是本委员会的在任委员。") % {"name": m.name}})
    if any(b.committee_id != committee.pk for b in books):
        raise ValidationError({"books": _("所选图书不属于本委员会。")})
    if convener is not None and convener.pk not in {m.pk for m in members}:
        raise ValidationError({"convener": _("召集人须是本组的组员。")})
    clash = ReadingGroup.objects.for_committee(committee).filter(name=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"name": _("已有同名的读书小组。")})
    if group is None:
        group = ReadingGroup(committee=committee)
    else:
        group = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    group.name, group.description, group.convener = name, (description or "").strip(), convener
    group.save()
    group.members.set(members)
    group.books.set(books)
    events.record(
        subject=group,
        action="reading.group_saved",
        actor=by,
        data={"name": name, "members": len(members), "convener": convener.pk if convener else None},
    )
    return group


def record_add(*, member: Member, by, book: Book, read_on: dt.date, notes: str, group=None) -> ReadingRecord:
    """A member records a book read, with notes; within a group only if the member belongs to it."""
    if member.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("只能记录自己的读书。"))
    notes = (notes or "").strip()
    errors = {}
    if book.committee_id != member.committee_id:
        errors["book"] = _("所选图书不属于本委员会。")
    if read_on is None:
        errors["read_on"] = _("请填写阅读日期。")
    elif read_on > timezone.localdate():
        errors["read_on"] = _("阅读日期不能晚于今天。")
    if len(notes) < NOTES_MIN:
        errors["notes"] = _("请写下读书心得(至少 %(n)s 个字)。") % {"n": NOTES_MIN}
    if group is not None and not group.members.filter(pk=member.pk).exists():
        errors["group"] = _("您不是「%(name)s」的组员。") % {"name": group.name}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            record = ReadingRecord.objects.create(
                committee=member.committee, member=member, book=book, group=group, read_on=read_on, notes=notes
            )
            events.record(
                subject=record,
                action="reading.recorded",
                actor=by,
                data={"members": [member.pk], "lead": member.pk, "book": book.pk, "title": book.title},
            )
    except IntegrityError:
        raise ValidationError({"book": _("您已记录过这一天读《%(title)s》。") % {"title": book.title}})
    return record
