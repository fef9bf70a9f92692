"""Log-in (password or SMS code, then the TOTP code when two-step verification is on), log-out,
password, two-step verification and the "my account" page."""

import logging
import time

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from lvzhi.core.roles import MEMBER_ROLES, STAFF_ROLES

from . import lockout, services, sms
from .forms import CodeForm, ConfirmPasswordForm, LoginForm, MobileForm, password_form_for

log = logging.getLogger("lvzhi.accounts")

PASSWORD_BACKEND = "lvzhi.accounts.backends.UsernameOrMobileBackend"
PENDING_USER = "accounts_2fa_user"
PENDING_BACKEND = "accounts_2fa_backend"
PENDING_NEXT = "accounts_2fa_next"
PENDING_AT = "accounts_2fa_at"
PENDING_TTL_SECONDS = 300
SMS_MOBILE = "accounts_sms_mobile"
TOTP_KEY = "accounts_totp_key"


def _next_url(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _finish_first_factor(request: HttpRequest, user, *, backend: str, method: str) -> HttpResponse:
    """Log in, or ask for the TOTP code first when the user has two-step verification on."""
    nxt = _next_url(request)
    if services.confirmed_device(user) is not None:
        request.session[PENDING_USER] = user.pk
        request.session[PENDING_BACKEND] = backend
        request.session[PENDING_NEXT] = nxt
        request.session[PENDING_AT] = time.time()
        log.info("login first factor ok user=%s method=%s, asking for the TOTP code", user.username, method)
        return redirect("accounts:login_totp")
    login(request, user, backend=backend)
    log.info("login user=%s method=%s", user.username, method)
    return redirect(nxt)


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, PENDING_AT):
        request.session.pop(key, None)


def _pending_user(request: HttpRequest):
    pk, at = request.session.get(PENDING_USER), request.session.get(PENDING_AT)
    if pk is None or at is None or time.time() - at > PENDING_TTL_SECONDS:
        _clear_pending(request)
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


# --- log-in


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = LoginForm(request, request.POST)
        if form.is_valid():
            return _finish_first_factor(request, form.user, backend=form.user.backend, method="password")
        if form.account:
            log.info("login failed account=%s method=password", form.account)
    else:
        if request.user.is_authenticated:
            return redirect(_next_url(request))
        form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url_raw(request), "mode": "password"})


def _next_url_raw(request: HttpRequest) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) else ""


@csrf_protect
@never_cache
def totp_login_view(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the authenticator app."""
    user = _pending_user(request)
    if user is None:
        messages.warning(request, _("登录已超时,请重新登录。"))
        return redirect("accounts:login")
    if lockout.is_locked(request, user.username):
        _clear_pending(request)
        return lockout.locked_response(request, user.username)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, throttled = services.totp_verify(user=user, token=form.cleaned_data["code"])
        if device is not None:
            backend, nxt = request.session[PENDING_BACKEND], request.session[PENDING_NEXT]
            _clear_pending(request)
            login(request, user, backend=backend)
            django_otp.login(request, device)
            log.info("login user=%s with TOTP", user.username)
            return redirect(nxt)
        if throttled:
            form.add_error("code", _("尝试过于频繁,请稍等片刻再输入。"))
        else:
            log.info("login failed account=%s wrong TOTP code", user.username)
            if lockout.count_failure(request, user.username):
                _clear_pending(request)
                return lockout.locked_response(request, user.username)
            form.add_error("code", _("验证码不正确,请输入身份验证器中当前显示的 6 位数字。"))
    return render(request, "accounts/login_totp.html", {"form": form, "pending_user": user})


@require_POST
def login_cancel(request: HttpRequest) -> HttpResponse:
    _clear_pending(request)
    return redirect("accounts:login")


# --- SMS-code log-in


@csrf_protect
@never_cache
def sms_login_view(request: HttpRequest) -> HttpResponse:
    """Step one: the mobile number. The answer is the same whether or not it is registered."""
    if request.method == "POST":
        form = MobileForm(request.POST)
        if form.is_valid():
            mobile = form.cleaned_data["mobile"]
            issued = sms.sms_code_request(mobile=mobile)
            request.session[SMS_MOBILE] = mobile
            if issued.wait_seconds:
                messages.warning(
                    request,
                    _("验证码发送过于频繁,请 %(n)s 秒后再重新获取。已收到的验证码仍然有效。")
                    % {"n": issued.wait_seconds},
                )
            else:
                messages.success(request, _("如果该手机号已在本平台登记,验证码已发出,请查收短信。"))
            return _redirect_with_next(request, "accounts:sms_verify")
    else:
        if request.user.is_authenticated:
            return redirect(_next_url(request))
        form = MobileForm(initial={"mobile": request.session.get(SMS_MOBILE, "")})
    return render(request, "accounts/sms_login.html", {"form": form, "next": _next_url_raw(request), "mode": "sms"})


def _redirect_with_next(request: HttpRequest, name: str) -> HttpResponse:
    from urllib.parse import urlencode

    url = resolve_url(name)
    nxt = _next_url_raw(request)
    return redirect(f"{url}?{urlencode({'next': nxt})}" if nxt else url)


@csrf_protect
@never_cache
def sms_verify_view(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the SMS."""
    mobile = request.session.get(SMS_MOBILE)
    if not mobile:
        return redirect("accounts:sms_login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = sms.user_for_mobile(mobile)
        if account is not None and lockout.is_locked(request, account.username):
            return lockout.locked_response(request, account.username)
        checked = sms.sms_code_verify(mobile=mobile, code=form.cleaned_data["code"])
        if checked.user is not None:
            request.session.pop(SMS_MOBILE, None)
            return _finish_first_factor(request, checked.user, backend=PASSWORD_BACKEND, method="sms")
        if checked.counted and account is not None:
            log.info("login failed account=%s wrong SMS code", account.username)
            if lockout.count_failure(request, account.username):
                return lockout.locked_response(request, account.username)
        form.add_error("code", checked.error)
    return render(request, "accounts/sms_verify.html", {"form": form, "mobile": mobile, "next": _next_url_raw(request)})


# --- log-out


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        log.info("logout user=%s", request.user.username)
    logout(request)
    messages.success(request, _("您已安全退出登录。"))
    return redirect("accounts:login")


# --- my account, password, two-step verification


def _base_template(request: HttpRequest) -> str:
    roles = getattr(request, "roles", frozenset())
    return "staff_base.html" if roles & STAFF_ROLES and not roles & MEMBER_ROLES else "member_base.html"


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "base_template": _base_template(request),
            "tab": "me",
            "has_password": user.has_usable_password(),
            "totp_on": services.confirmed_device(user) is not None,
            "may_use_totp": services.may_use_totp(user, request.committee),
        },
    )


@sensitive_post_parameters()
@login_required
def password_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    setting_first = not user.has_usable_password()
    form = password_form_for(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_set(
            user=user, password=form.cleaned_data["new_password1"], by=user, committee=request.committee
        )
        update_session_auth_hash(request, user)
        messages.success(request, _("登录密码已设置。") if setting_first else _("登录密码已修改。"))
        return redirect("accounts:account")
    return render(
        request,
        "accounts/password.html",
        {"form": form, "setting_first": setting_first, "base_template": _base_template(request), "tab": "me"},
    )


@sensitive_post_parameters("password")
@login_required
def totp_view(request: HttpRequest) -> HttpResponse:
    """两步验证: turn it on (QR code, secret, confirm with a code) or off (with the password)."""
    user = request.user
    device = services.confirmed_device(user)
    if device is None and not services.may_use_totp(user, request.committee):
        raise PermissionDenied
    code_form, password_form = CodeForm(), ConfirmPasswordForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "enable" and device is None:
            code_form = CodeForm(request.POST)
            key = request.session.get(TOTP_KEY)
            if key and code_form.is_valid():
                if services.user_totp_enable(
                    user=user, key=key, token=code_form.cleaned_data["code"], committee=request.committee
                ):
                    request.session.pop(TOTP_KEY, None)
                    messages.success(request, _("两步验证已开启。以后登录时,输入密码后还需输入身份验证器中的验证码。"))
                    return redirect("accounts:totp")
                code_form.add_error("code", _("验证码不正确。请确认已扫描本页二维码,并输入当前显示的 6 位数字。"))
        elif action == "disable" and device is not None:
            password_form = ConfirmPasswordForm(request.POST)
            if password_form.is_valid():
                checked = authenticate(request, username=user.username, password=password_form.cleaned_data["password"])
                if checked is not None and checked.pk == user.pk:
                    services.user_totp_disable(user=user, by=user, committee=request.committee)
                    messages.success(request, _("两步验证已关闭。"))
                    return redirect("accounts:totp")
                password_form.add_error("password", _("登录密码不正确。"))
    context = {"device": device, "code_form": code_form, "password_form": password_form}
    if device is None:
        key = request.session.get(TOTP_KEY) or services.new_totp_key()
        request.session[TOTP_KEY] = key
        url = services.totp_config_url(user=user, key=key)
        context |= {"qr": services.totp_qr_data_uri(url), "secret": services.totp_secret(key)}
    context |= {"base_template": _base_template(request), "tab": "me"}
    return render(request, "accounts/totp.html", context)
