"""Forms of the staff pages (filters, adjustments, decisions). The rules editor posts one field per value,
named <kind>-points / <kind>-cap / <kind>-joint_weight, checked by services.rules_update."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.widgets import FastSelect
from lvzhi.org.models import Member, Party, Sector, SpecialCommittee


class ScoreFilter(forms.Form):
    q = forms.CharField(label=_("姓名或单位"), required=False, max_length=50)
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(), required=False, widget=FastSelect)
    party = forms.ModelChoiceField(
        label=_("党派团体"), queryset=Party.objects.none(), required=False, widget=FastSelect
    )
    special = forms.ModelChoiceField(
        label=_("专委会"), queryset=SpecialCommittee.objects.none(), required=False, widget=FastSelect
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_committee(committee)
        self.fields["party"].queryset = Party.objects.for_committee(committee)
        self.fields["special"].queryset = SpecialCommittee.objects.for_committee(committee)
        for name in ("sector", "party", "special"):
            self.fields[name].empty_label = _("全部")


class AdjustForm(forms.Form):
    member = forms.ModelChoiceField(label=_("委员"), queryset=Member.objects.none())
    points = forms.DecimalField(
        label=_("调整分值"), max_digits=6, decimal_places=1, help_text=_("加分填正数,减分填负数。")
    )
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE)
        self.fields["reason"].required = False  # the service says why it is needed


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=[("dismiss", _("不予处理")), ("open_exit", _("启动退出审查"))])
    reason = forms.CharField(
        label=_("处理说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )
