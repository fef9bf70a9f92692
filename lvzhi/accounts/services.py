"""Changes to an account: password, two-step verification (TOTP).

Every change is written to the security log (logger "lvzhi.accounts") and, when the person acts in a
committee, as an Event on the user so that the committee's audit trail has it too.
"""

import logging
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.db import transaction
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from lvzhi.core import events
from lvzhi.core.permissions import roles_of
from lvzhi.core.roles import STAFF_ROLES

log = logging.getLogger("lvzhi.accounts")

ISSUER = "履职通"

events.ACTION_LABELS.update(
    {
        "account.password_changed": _("修改了登录密码"),
        "account.password_set": _("设置了登录密码"),
        "account.totp_enabled": _("开启了两步验证"),
        "account.totp_disabled": _("关闭了两步验证"),
        "account.unlocked": _("解除了账户锁定"),
        "account.totp_reset": _("重置了两步验证"),
    }
)


def audit(*, user, action: str, by=None, committee=None, data: dict | None = None) -> None:
    """Security log line always; an Event as well when there is a committee to file it under."""
    log.info("%s user=%s by=%s %s", action, user.username, getattr(by, "username", "-"), data or "")
    if committee is not None:
        user, by = _unwrap(user), _unwrap(by or user)
        events.record(subject=user, action=action, actor=by, committee=committee, data=data)


def _unwrap(user):
    """request.user is a lazy wrapper (twice, with django-otp); the event needs the model instance."""
    while isinstance(user, LazyObject):
        user.pk  # noqa: B018 - evaluates the lazy object
        user = user._wrapped
    return user


# --- password


def user_password_set(*, user, password: str, by, committee=None) -> None:
    """Set a new password (already validated by the form). Records whether an old one was replaced."""
    had_password = user.has_usable_password()
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit(
            user=user,
            action="account.password_changed" if had_password else "account.password_set",
            by=by,
            committee=committee,
        )


# --- two-step verification (TOTP)


def may_use_totp(user, committee) -> bool:
    """Staff of the current committee (and platform administrators) may turn two-step verification on."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(roles_of(user, committee) & STAFF_ROLES)


def confirmed_device(user):
    if user is None or user.pk is None:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def new_totp_key() -> str:
    return random_hex(20)


def totp_secret(key: str) -> str:
    """The base32 secret people type into an authenticator app, in groups of four."""
    raw = b32encode(unhexlify(key)).decode()
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_config_url(*, user, key: str) -> str:
    label = f"{ISSUER}:{user.get_username()}"
    params = urlencode({"secret": b32encode(unhexlify(key)).decode(), "digits": 6, "period": 30})
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(ISSUER)}"


def totp_qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def _check(key: str, token: str):
    """The matched time step for `token`, or None."""
    token = (token or "").strip().replace(" ", "")
    if not token.isdigit() or len(token) != 6:
        return None
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    if totp.verify(int(token), tolerance=1):
        return totp.t()
    return None


def user_totp_enable(*, user, key: str, token: str, committee=None) -> TOTPDevice | None:
    """Turn on two-step verification with the secret shown to the user, once they prove their app has it.
    None when the code does not match (nothing changes)."""
    matched = _check(key, token)
    if matched is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=str(_("身份验证器")), key=key, confirmed=True, last_t=matched
        )
        audit(user=user, action="account.totp_enabled", by=user, committee=committee)
    return device


def user_totp_disable(*, user, by, committee=None) -> None:
    """Turn off two-step verification (the view has checked the password)."""
    with transaction.atomic():
        deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
        if deleted:
            audit(user=user, action="account.totp_disabled", by=by, committee=committee)


def totp_verify(*, user, token: str):
    """Check a log-in code against the user's confirmed device. Returns (device or None, throttled)."""
    device = confirmed_device(user)
    if device is None:
        return None, False
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return None, True
    token = (token or "").strip().replace(" ", "")
    if device.verify_token(token):
        return device, False
    return None, False


# --- help from the committee office (a locked account, a lost authenticator app)


class NotInCommittee(Exception):
    """The account holds no role in the committee: the office of that committee may not touch it."""


def _holds_role(user, committee) -> bool:
    from lvzhi.org.models import Membership

    return Membership.objects.filter(user=user, committee=committee).exists()


def account_is_locked(user) -> bool:
    """Whether django-axes refuses this account now (failures are counted under the real user name)."""
    from django.http import HttpRequest

    from .lockout import is_locked

    return is_locked(HttpRequest(), user.username)


def account_unlock(*, user, committee, by) -> int:
    """Clear the account's lock and its failed log-ins. Returns how many failure records were removed."""
    if not _holds_role(user, committee):
        raise NotInCommittee
    from axes.utils import reset

    with transaction.atomic():
        was_locked = account_is_locked(user)
        removed = reset(username=user.username)
        audit(
            user=user,
            action="account.unlocked",
            by=by,
            committee=committee,
            data={"was_locked": was_locked, "failures_cleared": removed},
        )
    return removed


def account_totp_reset(*, user, committee, by) -> int:
    """Delete the account's TOTP devices (a lost or replaced phone); the next log-in asks for the
    password or SMS code only. Returns how many devices were removed."""
    if not _holds_role(user, committee):
        raise NotInCommittee
    with transaction.atomic():
        deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
        audit(user=user, action="account.totp_reset", by=by, committee=committee, data={"devices": deleted})
    return deleted
