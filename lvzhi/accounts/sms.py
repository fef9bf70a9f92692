"""SMS-code log-in: issue a six-digit code to a registered mobile number and check it.

Only a keyed digest of the code is stored. A code lives settings.SMS_CODE_TTL_SECONDS, is used once,
and is void after SmsCode.MAX_ATTEMPTS wrong tries; a mobile number gets at most one code a minute.
Unknown and inactive numbers get the same answer as registered ones but no code, so the form does not
tell who has an account. Sending goes through the SMS notification channel (the log by default).
"""

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lvzhi.core.notify import channel

from .models import SmsCode

log = logging.getLogger("lvzhi.accounts")

RESEND_SECONDS = 60
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    """Digits only, without a +86/86 prefix; spaces and dashes as people type them are fine."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_mobile(mobile: str) -> bool:
    return bool(MOBILE_RE.match(mobile))


def code_digest(mobile: str, code: str) -> str:
    """Keyed with SECRET_KEY: a copy of the table does not give the codes away by trying all million."""
    return salted_hmac("lvzhi.accounts.sms", f"{mobile}:{code}", algorithm="sha256").hexdigest()


def user_for_mobile(mobile: str):
    User = get_user_model()
    return User.objects.filter(mobile=mobile, is_active=True).order_by("id").first()


@dataclass
class Issued:
    sent: bool  # a code went out (False for unknown numbers: the caller must not tell the difference)
    wait_seconds: int = 0  # > 0: refused, a code was requested less than a minute ago


def sms_code_request(*, mobile: str) -> Issued:
    """Issue and send a log-in code to `mobile` (already normalized and valid)."""
    now = timezone.now()
    # The one-a-minute limit holds for every number, registered or not (same answer for both): a cache
    # key takes it across processes (Redis in production), the table backs it up for registered numbers.
    if not cache.add(f"lvzhi:sms:{mobile}", 1, RESEND_SECONDS):
        return Issued(sent=False, wait_seconds=_wait(mobile, now))
    last = SmsCode.objects.filter(mobile=mobile).order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None and now - last < timedelta(seconds=RESEND_SECONDS):
        return Issued(sent=False, wait_seconds=RESEND_SECONDS - int((now - last).total_seconds()))
    user = user_for_mobile(mobile)
    if user is None:
        log.info("sms code asked for an unregistered or inactive mobile %s", _mask(mobile))
        return Issued(sent=True)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        # A new code replaces any earlier one still open.
        SmsCode.objects.filter(mobile=mobile, used_at__isnull=True).update(used_at=now)
        SmsCode.objects.create(
            mobile=mobile,
            digest=code_digest(mobile, code),
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
    minutes = max(1, settings.SMS_CODE_TTL_SECONDS // 60)
    text = _("【履职通】您的登录验证码是 %(code)s,%(minutes)s 分钟内有效。如非本人操作,请忽略本短信。") % {
        "code": code,
        "minutes": minutes,
    }
    channel("sms").send_text(mobile, text)
    log.info("sms code sent to user %s (%s)", user.username, _mask(mobile))
    return Issued(sent=True)


def _wait(mobile: str, now) -> int:
    last = SmsCode.objects.filter(mobile=mobile).order_by("-created_at").values_list("created_at", flat=True).first()
    if last is None:
        return RESEND_SECONDS
    return max(1, RESEND_SECONDS - int((now - last).total_seconds()))


def _mask(mobile: str) -> str:
    return f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else mobile


@dataclass
class Checked:
    user: object = None  # the account, when the code was right
    error: str = ""  # a message for the person, when it was not
    counted: bool = False  # a wrong try was counted against the account


def sms_code_verify(*, mobile: str, code: str) -> Checked:
    """Check `code` for `mobile`. A right code is spent; a wrong one counts, and voids the code at the limit."""
    code = (code or "").strip()
    now = timezone.now()
    with transaction.atomic():
        sms = (
            SmsCode.objects.select_for_update()
            .filter(mobile=mobile, used_at__isnull=True, expires_at__gt=now, attempts__lt=SmsCode.MAX_ATTEMPTS)
            .order_by("-created_at", "-id")
            .first()
        )
        if sms is None:
            return Checked(error=_("验证码已失效,请重新获取。"))
        if not constant_time_compare(sms.digest, code_digest(mobile, code)):
            sms.attempts += 1
            sms.save(update_fields=["attempts"])
            left = SmsCode.MAX_ATTEMPTS - sms.attempts
            if left <= 0:
                log.warning("sms code for %s void after %s wrong tries", _mask(mobile), sms.attempts)
                return Checked(error=_("验证码输错次数过多,已作废,请重新获取。"), counted=True)
            return Checked(error=_("验证码不正确,还可以再试 %(n)s 次。") % {"n": left}, counted=True)
        sms.used_at = now
        sms.save(update_fields=["used_at"])
    user = user_for_mobile(mobile)
    if user is None:  # the account was deactivated after the code went out
        return Checked(error=_("验证码已失效,请重新获取。"))
    return Checked(user=user)
