"""Writes of the handling unit's pages that the lifecycle services do not cover: the signed reply letter
(答复函, a PDF) stored with the answer. The answer itself goes through services.answer_submit."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.core.config import setting

from . import services
from .models import Answer, Attachment, Proposal

PDF_MAGIC = b"%PDF"


def check_reply_letter(committee, upload) -> None:
    """A reply letter is a PDF (by its name AND by its content, which starts with %PDF) within the
    committee's size limit. Raises ValidationError with the reason; reads only the first bytes."""
    if upload is None:
        raise ValidationError({"letter": _("请上传盖章的答复函(PDF)。")})
    name = os.path.basename(upload.name or "")
    if not name.lower().endswith(".pdf"):
        raise ValidationError({"letter": _("答复函须为 PDF 文件。")})
    limit_mb = setting(committee, "proposals.attachment_max_mb")
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError({"letter": _("答复函不能超过 %(mb)s MB。") % {"mb": limit_mb}})
    if upload.size == 0:
        raise ValidationError({"letter": _("答复函是空文件。")})
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.lstrip(b"\r\n\t \x00\xef\xbb\xbf")[:4] == PDF_MAGIC:
        raise ValidationError({"letter": _("「%(name)s」不是有效的 PDF 文件。") % {"name": name}})


def answer_with_letter(*, proposal: Proposal, by, category: str, text: str, letter) -> Answer:
    """The lead (or split) unit answers with the signed reply letter: the PDF is checked, stored as an
    Attachment (purpose reply_letter) and linked to the answer, in one transaction. If the answer is
    refused (co-units still to give opinions, wrong state…), nothing is stored: no row, no file."""
    check_reply_letter(proposal.committee, letter)
    stored = []
    try:
        with transaction.atomic():
            attachment = Attachment(
                committee=proposal.committee,
                proposal=proposal,
                purpose=Attachment.Purpose.REPLY_LETTER,
                name=os.path.basename(letter.name)[:200],
                size=letter.size,
                content_type="application/pdf",
                uploaded_by=by,
            )
            attachment.file.save(os.path.basename(letter.name), letter, save=False)
            stored.append(attachment.file.name)
            attachment.save()
            return services.answer_submit(proposal=proposal, by=by, category=category, text=text, letter=attachment)
    except BaseException:
        for name in stored:
            Attachment.file.field.storage.delete(name)
        raise
