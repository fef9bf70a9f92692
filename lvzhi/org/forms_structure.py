"""Forms of the structure pages. One form class is built per kind from the `KINDS` registry; related
choices (the term of a session, the sub-district of a studio) are limited to the current committee, so a
posted row of another committee is refused as an invalid choice."""

from functools import cache

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Committee, Member
from .queries_structure import standing_candidates
from .services_structure import Kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StructureForm(forms.ModelForm):
    """Base of every kind's form: give it the committee; it scopes the related choices."""

    kind: Kind

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.kind.related:
            field = self.fields[name]
            field.queryset = field.queryset.model.objects.for_committee(committee)
            field.error_messages["invalid_choice"] = _("所选项目不属于本委员会,请重新选择。")


@cache
def form_for(kind: Kind) -> type[StructureForm]:
    """The ModelForm class of `kind` (built once per kind)."""
    widgets = {f: DateInput() for f in kind.fields if kind.model._meta.get_field(f).get_internal_type() == "DateField"}
    form_class = forms.modelform_factory(kind.model, form=StructureForm, fields=list(kind.fields), widgets=widgets)
    form_class.kind = kind
    return form_class


mobile_validator = RegexValidator(r"^1\d{10}$", _("请输入 11 位手机号码。"))
username_validator = RegexValidator(r"^[A-Za-z0-9_.@+-]{3,30}$", _("用户名为 3–30 位字母、数字或 _ . @ + -。"))


class UnitStaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=11, validators=[mobile_validator])
    username = forms.CharField(label=_("用户名"), max_length=30, validators=[username_validator])
    password = forms.CharField(
        label=_("初始密码(可不填)"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("不填则由本人用手机短信验证码登录后自行设置密码。"),
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name} · {obj.sector}"


class StandingAddForm(forms.Form):
    member = MemberChoiceField(
        label=_("委员"),
        queryset=Member.objects.none(),
        empty_label=_("请选择委员"),
        error_messages={"invalid_choice": _("请选择本委员会的在任委员(非常委)。")},
    )

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = standing_candidates(committee)
