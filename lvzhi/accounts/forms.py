from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from . import lockout
from .sms import is_valid_mobile, normalize_mobile


class LoginForm(forms.Form):
    """User name or mobile number and password. Authenticates with the request so that axes counts."""

    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        error_messages={"required": _("请输入用户名或手机号。")},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        max_length=200,
        error_messages={"required": _("请输入密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.account = ""
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        identifier, password = data.get("username"), data.get("password")
        if not identifier or not password:
            return data
        # Count failures under the account's user name however it was typed (name or mobile).
        self.account = lockout.canonical_username(identifier)
        self.user = authenticate(self.request, username=self.account, password=password)
        if self.user is None:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(_("账户已锁定。"), code="locked")
            left = lockout.remaining_tries(self.request, self.account)
            message = _("用户名(手机号)或密码不正确。")
            if 0 < left <= 3:
                message = _("用户名(手机号)或密码不正确。再输错 %(n)s 次,账户将被暂时锁定。") % {"n": left}
            raise forms.ValidationError(message, code="invalid_login")
        return data


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        error_messages={"required": _("请输入手机号。")},
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "numeric", "placeholder": _("11 位手机号"), "autofocus": True}
        ),
    )

    def clean_mobile(self):
        mobile = normalize_mobile(self.cleaned_data["mobile"])
        if not is_valid_mobile(mobile):
            raise forms.ValidationError(_("请输入正确的 11 位手机号。"))
        return mobile


class CodeForm(forms.Form):
    """A six-digit code: the SMS code or the code of an authenticator app."""

    code = forms.CharField(
        label=_("验证码"),
        max_length=12,
        error_messages={"required": _("请输入验证码。")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "placeholder": _("6 位数字"),
                "autofocus": True,
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("验证码是 6 位数字。"))
        return code


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("登录密码"),
        strip=False,
        error_messages={"required": _("请输入登录密码。")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ChangePasswordForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("原密码不正确,请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }


class NewPasswordForm(SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": _("两次输入的新密码不一致。")}


def password_form_for(user, *args, **kwargs):
    """Members created by the roster have no usable password: after an SMS log-in they set one without the old."""
    form_class = ChangePasswordForm if user.has_usable_password() else NewPasswordForm
    form = form_class(user, *args, **kwargs)
    labels = {"old_password": _("原密码"), "new_password1": _("新密码"), "new_password2": _("再次输入新密码")}
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
    return form
