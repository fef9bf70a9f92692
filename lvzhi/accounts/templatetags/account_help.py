"""{% account_help_panel users %}: the committee office's panel on a member's or a unit's page: for each
linked account whether it is locked and whether two-step verification is on, with the buttons to undo
either. Shows nothing to people without accounts.help_users or for accounts outside the committee."""

from django import template
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.org.models import Membership

from .. import services

register = template.Library()


@register.inclusion_tag("accounts/_help_panel.html", takes_context=True)
def account_help_panel(context, users, title=""):
    request = context["request"]
    if users is None or users == "":
        users = []
    elif not isinstance(users, list | tuple) and not hasattr(users, "model"):
        users = [users]
    users = [u for u in users if u is not None]
    allowed = bool(users) and request.user.has_perm("accounts.help_users", request.committee)
    rows = []
    if allowed:
        ids = [u.pk for u in users]
        in_committee = set(
            Membership.objects.filter(committee=request.committee, user_id__in=ids).values_list("user_id", flat=True)
        )
        with_totp = set(TOTPDevice.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True))
        rows = [
            {"user": u, "locked": services.account_is_locked(u), "totp": u.pk in with_totp}
            for u in users
            if u.pk in in_committee
        ]
    return {"rows": rows, "title": title, "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}
