"""Forms of the member lifecycle pages. They check types and shapes; the rules live in services_lifecycle."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import queries_lifecycle as queries
from .models import Liaison, Nomination, Party, Sector, Term
from .services import validate_mobile
from .workflow import EXIT, NOMINATION


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.sector} · {obj.name}"


class NominationForm(forms.ModelForm):
    class Meta:
        model = Nomination
        fields = ["name", "gender", "mobile", "term", "sector", "party", "employer", "post", "recommended_by", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.for_committee(committee)
        self.fields["sector"].queryset = Sector.objects.for_committee(committee)
        self.fields["party"].queryset = Party.objects.for_committee(committee)
        self.fields["mobile"].validators.append(validate_mobile)
        self.fields["gender"].required = False
        self.fields["gender"].choices = [("", _("请选择"))] + list(self.fields["gender"].choices)[1:]
        for name in ("sector", "party"):
            self.fields[name].empty_label = _("请选择")
        terms = list(self.fields["term"].queryset[:1])
        if terms and not self.is_bound:
            self.initial.setdefault("term", terms[0].pk)


class NominationFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + [(k, v) for k, v in NOMINATION.states.items()]
    )


class ExitOpenForm(forms.Form):
    member = MemberChoiceField(label=_("委员"), queryset=None, empty_label=_("请选择委员"))
    grounds = forms.CharField(label=_("启动原因"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = queries.member_choices(committee)


class ExitFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + [(k, v) for k, v in EXIT.states.items()]
    )


class TransitionForm(forms.Form):
    """One step of a workflow: the action chosen by the button pressed, and an optional note or reason."""

    action = forms.CharField(max_length=32)
    reason = forms.CharField(label=_("意见或理由"), required=False, max_length=2000, widget=forms.Textarea)


class LiaisonForm(forms.ModelForm):
    member = MemberChoiceField(label=_("委员"), queryset=None, empty_label=_("请选择委员"))

    class Meta:
        model = Liaison
        fields = ["member", "kind", "date", "participants", "raised", "answer"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "raised": forms.Textarea(attrs={"rows": 4}),
            "answer": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        members = queries.member_choices(committee, active_only=False)
        if self.instance.pk is None:
            members = members.filter(state="active")
        self.fields["member"].queryset = members


class LiaisonFilterForm(forms.Form):
    member = MemberChoiceField(label=_("委员"), queryset=None, required=False, empty_label=_("全部委员"))
    kind = forms.ChoiceField(label=_("方式"), required=False, choices=[("", _("全部"))] + Liaison.Kind.choices)
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = queries.member_choices(committee, active_only=False)
