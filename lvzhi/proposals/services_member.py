"""The member's writes on their own proposal that the backbone (services.py) does not cover: saving a draft
together with its attachments in one step, and adding or deleting an attachment of a draft.

An attachment is checked before anything is stored: its extension against the committee's setting
"proposals.attachment_types", its size against "proposals.attachment_max_mb", and its first bytes against
what that type of file really starts with (a renamed .exe is not a PDF)."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import events, uploads
from lvzhi.core.config import setting
from lvzhi.core.workflow import TransitionRefused

from . import services
from .models import Attachment, Proposal

events.ACTION_LABELS.update(
    {
        "proposal.attachment_added": gettext_lazy("添加附件"),
        "proposal.attachment_deleted": gettext_lazy("删除附件"),
    }
)

EDITABLE_STATES = ("draft", "revising")

MAX_ATTACHMENTS = 10


def _require_lead(proposal: Proposal, by) -> None:
    if proposal.lead_id is None or proposal.lead.user_id != by.pk:
        raise PermissionDenied


def _require_editable(proposal: Proposal) -> None:
    if proposal.state not in EDITABLE_STATES:
        raise TransitionRefused(_("只有草稿或退回修改的提案可以修改。"))


def attachment_check(committee, upload) -> str:
    """Refuse a file of a type, size or content the committee does not accept; return its extension."""
    _name, ext = uploads.check(
        upload,
        allowed=setting(committee, "proposals.attachment_types"),
        max_mb=setting(committee, "proposals.attachment_max_mb"),
    )
    return ext


def _store(proposal: Proposal, upload, ext: str, by) -> Attachment:
    name = uploads.clean_name(upload.name)
    attachment = Attachment(
        committee=proposal.committee,
        proposal=proposal,
        purpose=Attachment.Purpose.MATERIAL,
        name=name,
        size=upload.size,
        content_type=uploads.CONTENT_TYPES.get(ext, "application/octet-stream"),
        uploaded_by=by,
    )
    # the stored name is random: a member's file name never decides a path on the server
    attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
    attachment.save()
    return attachment


def attachments_add(*, proposal: Proposal, uploads, by) -> list[Attachment]:
    """Add the files to the lead member's draft. All are checked first: one refused file stores none."""
    uploads = [u for u in uploads if u]
    if not uploads:
        return []
    _require_lead(proposal, by)
    _require_editable(proposal)
    exts = [attachment_check(proposal.committee, u) for u in uploads]
    have = proposal.attachments.filter(purpose=Attachment.Purpose.MATERIAL).count()
    if have + len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(_("每件提案最多 %(n)s 个附件。") % {"n": MAX_ATTACHMENTS})
    stored = []
    try:
        with transaction.atomic():
            for upload, ext in zip(uploads, exts, strict=True):
                stored.append(_store(proposal, upload, ext, by))
            events.record(
                subject=proposal,
                action="proposal.attachment_added",
                actor=by,
                data={"files": [a.name for a in stored]},
            )
    except Exception:
        for a in stored:
            a.file.storage.delete(a.file.name)
        raise
    return stored


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=attachment.proposal_id)
    _require_lead(proposal, by)
    _require_editable(proposal)
    if attachment.purpose != Attachment.Purpose.MATERIAL:
        raise PermissionDenied
    storage, path, name = attachment.file.storage, attachment.file.name, attachment.name
    attachment.delete()
    events.record(subject=proposal, action="proposal.attachment_deleted", actor=by, data={"file": name})
    transaction.on_commit(lambda: storage.delete(path))


def draft_save(*, committee, by, proposal: Proposal | None = None, values: dict, uploads=()) -> Proposal:
    """Save the member's draft (a new one, or an edit by its lead) and its new attachments in one step.
    A refused attachment or a refused text saves nothing at all."""
    uploads = [u for u in uploads if u]
    for upload in uploads:  # before anything is written
        attachment_check(committee, upload)
    with transaction.atomic():
        if proposal is None:
            lead = services.member_of(by, committee)
            if lead is None:
                raise PermissionDenied
            proposal = services.proposal_create(committee=committee, by=by, lead=lead, **values)
        else:
            _require_lead(proposal, by)
            proposal = services.proposal_edit(proposal=proposal, by=by, **values)
        attachments_add(proposal=proposal, uploads=uploads, by=by)
    return proposal
