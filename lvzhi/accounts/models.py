import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account. Roles are per committee (org.Membership); the member profile per
    committee is org.Member."""

    mobile = models.CharField(_("手机号"), max_length=20, unique=True, null=True, blank=True)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"token of user {self.user_id} until {self.expires_at:%Y-%m-%d}"

    @classmethod
    def issue(cls, user) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            digest=_digest(key),
            expires_at=timezone.now() + timezone.timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        return key

    @classmethod
    def user_for(cls, key: str):
        """The active user holding this unexpired token, or None. Token and user are kept in this
        process's cache under the user's tokens (lvzhi.core.caching), which a change of the user, their
        roles or their API tokens replaces: a deleted token stops working at once."""
        from lvzhi.core import caching

        from .backends import UsernameOrMobileBackend

        digest = _digest(key)
        hit = caching.cached_api_token(digest)
        tag = caching.principal_tag(hit[0]) if hit else None
        if hit is None or hit[2] != tag:
            row = cls.objects.filter(digest=digest).values_list("user_id", "expires_at").first()
            if row is None:
                return None
            tag = caching.principal_tag(row[0])  # before the row is trusted: a change meanwhile voids it
            row = cls.objects.filter(digest=digest).values_list("user_id", "expires_at").first()
            if row is None:
                return None
            caching.remember_api_token(digest, *row, tag)
            hit = (*row, tag)
        user_id, expires_at, _tag = hit
        if expires_at <= timezone.now():
            return None
        return UsernameOrMobileBackend().get_user_tagged(user_id, tag)


class SmsCode(models.Model):
    """A one-time log-in code sent by SMS. Only its digest is stored; a few wrong tries void it."""

    mobile = models.CharField(max_length=20, db_index=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    MAX_ATTEMPTS = 5

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")

    def __str__(self) -> str:
        return f"{self.mobile[:3]}****{self.mobile[-4:]} {self.created_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def digest_of(code: str) -> str:
        return _digest(code)
