"""Forms of the meeting-day staff pages: desk search and registration, door entry, leave decision.
They only validate input; the rules live in services_desk / services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DeskSearchForm(forms.Form):
    q = forms.CharField(
        label=_("姓名、手机号或界别"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "enterkeyhint": "search"}),
    )


class DeskRegisterForm(forms.Form):
    details_checked = forms.BooleanField(label=_("已与委员当面核对个人信息"), required=False)
    materials = forms.MultipleChoiceField(label=_("已发放的材料"), required=False, widget=forms.CheckboxSelectMultiple)
    commitment_signed = forms.BooleanField(label=_("委员已签署纸质承诺书"), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [(m, m) for m in meeting.materials]
        self.fields["materials"].initial = list(meeting.materials)
        if not meeting.materials:
            del self.fields["materials"]
        if not meeting.commitment_text:
            del self.fields["commitment_signed"]


class DoorForm(forms.Form):
    entry = forms.CharField(
        label=_("签到码、手机号或姓名"),
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "enterkeyhint": "go"}
        ),
    )


class LeaveDecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("不准假"))])
    reason = forms.CharField(label=_("不准假的理由"), required=False, max_length=500)
