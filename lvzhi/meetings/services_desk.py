"""Writes of the meeting-day staff pages (registration desk, door check-in); each one goes through the
services of lvzhi/meetings/services.py, which record the events.

The commitment letter at the desk: the member signs the PAPER letter on the desk, and the clerk ticks
"已签署纸质承诺书". The registration then records the member's own name as the signature (the same field
the member fills in when registering online) and the clerk as the event's actor, so the timeline tells a
desk registration from an online one."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import queries_desk
from .models import Invitation, Meeting
from .services import CheckIn, check_in, check_in_by_qr, registration_complete


def desk_register(*, invitation: Invitation, by, materials: list[str], details_checked: bool, commitment_signed: bool):
    """报到 at the desk: the clerk has checked the member's details with them, handed out `materials`, and
    (when the meeting has a commitment letter) seen the member sign it on paper."""
    if not details_checked:
        raise ValidationError({"details_checked": _("请先与委员当面核对个人信息,再勾选“信息已核对”。")})
    if invitation.meeting.commitment_text and not commitment_signed:
        raise ValidationError({"commitment_signed": _("请委员签署纸质承诺书后再勾选“已签署纸质承诺书”。")})
    signed_name = invitation.member.name if invitation.meeting.commitment_text else ""
    return registration_complete(invitation=invitation, by=by, materials=list(materials), signed_name=signed_name)


def looks_like_code(entry: str) -> bool:
    """A scanned (or pasted) check-in code is a signed token: it always contains ':' (names and mobile
    numbers never do)."""
    return ":" in entry


def door_check_in(*, meeting: Meeting, entry: str, by) -> CheckIn:
    """Check a member in at the door from what the clerk's phone scanned or what the clerk typed: the signed
    QR code, the member's mobile number or their full name. Idempotent like check_in."""
    entry = (entry or "").strip()
    if not entry:
        raise ValidationError(_("请扫描委员的签到二维码,或输入委员的手机号或姓名。"))
    if looks_like_code(entry):
        return check_in_by_qr(meeting=meeting, token=entry, by=by)
    invitation = queries_desk.invitation_for_entry(meeting, entry)
    return check_in(invitation=invitation, by=by, method=Invitation.Method.DESK)
