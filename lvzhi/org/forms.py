"""Forms of the member roster pages. Every choice is limited to the current committee's rows, so a posted
pk of another committee's sector (or party, studio…) is an invalid choice."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Member, Party, Sector, SpecialCommittee, Studio, SubDistrict, Term
from .services import validate_mobile


def _scoped(committee, model):
    return model.objects.for_committee(committee)


class RosterFilterForm(forms.Form):
    """The roster's filters; they live in the query string (shared by the list and the export)."""

    STATES = [("active", _("在任")), ("ended", _("已退出")), ("all", _("全部"))]
    STANDING = [("", _("全部")), ("1", _("常委")), ("0", _("非常委"))]

    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(), required=False)
    party = forms.ModelChoiceField(label=_("党派团体"), queryset=Party.objects.none(), required=False)
    standing = forms.ChoiceField(label=_("常委"), choices=STANDING, required=False)
    special_committee = forms.ModelChoiceField(
        label=_("专委会"), queryset=SpecialCommittee.objects.none(), required=False
    )
    studio = forms.ModelChoiceField(label=_("委员工作室"), queryset=Studio.objects.none(), required=False)
    state = forms.ChoiceField(label=_("状态"), choices=STATES, required=False)

    def __init__(self, data, *, committee):
        data = data.copy()
        if not data.get("state"):
            data["state"] = "active"
        super().__init__(data)
        self.fields["q"].widget.attrs.update(placeholder=_("姓名、单位或手机号"), type="search")
        for name, model in (
            ("sector", Sector),
            ("party", Party),
            ("special_committee", SpecialCommittee),
            ("studio", Studio),
        ):
            self.fields[name].queryset = _scoped(committee, model)
            self.fields[name].empty_label = _("全部")

    def query_args(self) -> dict:
        """Keyword arguments for queries.members; an invalid filter is simply ignored."""
        self.is_valid()
        data = self.cleaned_data  # the valid parts of a partly invalid query string
        state = data.get("state") or "active"
        standing = data.get("standing")
        return {
            "q": (data.get("q") or "").strip(),
            "sector": data.get("sector"),
            "party": data.get("party"),
            "standing": {"1": True, "0": False}.get(standing or ""),
            "special_committee": data.get("special_committee"),
            "studio": data.get("studio"),
            "state": None if state == "all" else state,
        }


class MemberForm(forms.ModelForm):
    """Create or edit a member. The edit form carries the `version` it read (optimistic lock)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "birth_date",
            "ethnicity",
            "mobile",
            "term",
            "sector",
            "party",
            "employer",
            "post",
            "is_standing",
            "special_committees",
            "sub_district",
            "studio",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "special_committees": forms.CheckboxSelectMultiple,
            "mobile": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        for name, model in (
            ("term", Term),
            ("sector", Sector),
            ("party", Party),
            ("special_committees", SpecialCommittee),
            ("sub_district", SubDistrict),
            ("studio", Studio),
        ):
            self.fields[name].queryset = _scoped(committee, model)
        self.fields["mobile"].validators.append(validate_mobile)
        if self.instance.pk:
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def _post_clean(self):
        # Model validation (and the mobile uniqueness in the committee) belongs to the services, which
        # report their errors back onto this form; skip ModelForm's own instance validation.
        pass

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class EndForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请填写理由。"))
        return reason


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件(.xlsx)"),
        error_messages={"required": _("请选择要导入的 Excel 文件。"), "empty": _("文件是空的。")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
