"""Forms of the member's meeting pages (phone): registration (报到), self check-in with the hall's code,
leave request and speech application. They only read and shape input; every rule (the meeting's state,
the signed name, known materials, one pending leave, …) is checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Speech


class RegistrationForm(forms.Form):
    """报到: confirm one's details, tick each material received, sign the commitment letter."""

    details_ok = forms.BooleanField(
        label=_("我已核对以上信息"),
        error_messages={"required": _("请核对您的信息后勾选“我已核对以上信息”。")},
    )
    materials = forms.MultipleChoiceField(
        label=_("已领取的材料"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("没有“%(value)s”这项材料,请重新勾选。")},
    )
    signed_name = forms.CharField(
        label=_("签名(请输入您的姓名)"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [(m, m) for m in meeting.materials]
        if meeting.commitment_text:
            self.fields["signed_name"].required = True
            self.fields["signed_name"].error_messages["required"] = _("请输入您的姓名签署承诺书。")
        else:
            del self.fields["signed_name"]


class CheckinCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("会场签到码"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        error_messages={
            "required": _("请输入会场显示的六位数字签到码。"),
            "invalid": _("签到码是六位数字,请核对会场显示的号码。"),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"\d{6}", "maxlength": "6"}
        ),
    )


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("请假事由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写请假事由。"), "max_length": _("请假事由最多 %(limit_value)d 个字。")},
    )


class SpeechForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("发言方式"),
        choices=Speech.Kind.choices,
        initial=Speech.Kind.ORAL,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("请选择口头发言或书面发言。")},
    )
    title = forms.CharField(
        label=_("发言题目"),
        max_length=120,
        error_messages={"required": _("请填写发言题目。"), "max_length": _("题目最多 %(limit_value)d 个字。")},
    )
    text = forms.CharField(
        label=_("发言稿"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("请填写发言稿。"), "max_length": _("发言稿最多 %(limit_value)d 个字。")},
    )
