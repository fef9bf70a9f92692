"""Help from the committee office: unlock an account that django-axes locked, and turn off the two-step
verification of someone who lost their authenticator app. Only for accounts that hold a role in the
current committee (another committee's account is 404 here)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.decorators import requires

from . import services

PERM = "accounts.help_users"


def _account(request: HttpRequest, user_id: int):
    """An account that holds a role in the current committee, or 404."""
    qs = get_user_model().objects.filter(memberships__committee=request.committee).distinct()
    return get_object_or_404(qs, pk=user_id)


def _back(request: HttpRequest) -> HttpResponse:
    nxt = request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(nxt)
    return redirect("org:members")


@require_POST
@requires(PERM)
def unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _account(request, user_id)
    services.account_unlock(user=user, committee=request.committee, by=request.user)
    messages.success(request, _("已解除“%(name)s”的账户锁定,本人现在可以重新登录。") % {"name": user})
    return _back(request)


@require_POST
@requires(PERM)
def totp_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _account(request, user_id)
    removed = services.account_totp_reset(user=user, committee=request.committee, by=request.user)
    if removed:
        text = _("已关闭“%(name)s”的两步验证,下次登录只需密码或短信验证码。")
    else:
        text = _("“%(name)s”没有开启两步验证,无需关闭。")
    messages.success(request, text % {"name": user})
    return _back(request)
