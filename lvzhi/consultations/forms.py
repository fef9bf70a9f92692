"""Forms of the consultation pages. Choices are always the current committee's rows."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.core.widgets import FastSelect
from lvzhi.org.models import HandlingUnit, Member, Sector, SpecialCommittee, SubDistrict

from .models import Kind, Material, Response, Speech, Topic


class _Scoped(forms.Form):
    scoped = {
        "lead": SpecialCommittee,
        "sub_district": SubDistrict,
        "units": HandlingUnit,
        "unit": HandlingUnit,
        "members": Member,
        "member": Member,
        "drafters": Member,
    }

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        for name, model in self.scoped.items():
            if name in self.fields:
                qs = model.objects.for_committee(committee)
                if model is Member:
                    qs = qs.filter(state=Member.State.ACTIVE).select_related("sector").order_by("name")
                self.fields[name].queryset = qs


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=120, required=False)


class TopicForm(_Scoped):
    title = forms.CharField(label=_("议题"), max_length=200)
    kind = forms.ChoiceField(label=_("协商形式"), choices=Kind.choices)
    lead = forms.ModelChoiceField(label=_("牵头专委会"), queryset=SpecialCommittee.objects.none(), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("对口部门"), queryset=HandlingUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sub_district = forms.ModelChoiceField(
        label=_("街道(基层协商)"), queryset=SubDistrict.objects.none(), required=False
    )
    month = forms.IntegerField(label=_("计划月份"), min_value=1, max_value=12)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationForm(_Scoped):
    topic = forms.ModelChoiceField(label=_("计划议题"), queryset=Topic.objects.none(), required=False)
    title = forms.CharField(label=_("名称"), max_length=200, required=False, help_text=_("从计划议题安排时可不填"))
    kind = forms.ChoiceField(label=_("协商形式"), choices=[("", "—"), *Kind.choices], required=False)
    lead = forms.ModelChoiceField(label=_("牵头专委会"), queryset=SpecialCommittee.objects.none(), required=False)
    sub_district = forms.ModelChoiceField(label=_("街道"), queryset=SubDistrict.objects.none(), required=False)
    held_on = forms.DateField(label=_("协商日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("参加部门"), queryset=HandlingUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    experts = forms.CharField(label=_("特邀专家(每行一位)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    residents = forms.CharField(label=_("群众代表(每行一位)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    opens_at = forms.DateTimeField(
        label=_("网络议政开始"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = forms.DateTimeField(
        label=_("网络议政截止"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, committee=committee, **kwargs)
        self.fields["topic"].queryset = (
            Topic.objects.for_committee(committee).filter(plan__state="approved").order_by("-plan__year", "order")
        )


class PrepareForm(forms.Form):
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    experts = forms.CharField(label=_("特邀专家(每行一位)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    residents = forms.CharField(label=_("群众代表(每行一位)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    research = forms.CharField(label=_("会前调研"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class InviteForm(_Scoped):
    members = forms.ModelMultipleChoiceField(
        label=_("邀请委员"), queryset=Member.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    sector = forms.ModelChoiceField(label=_("或邀请整个界别"), queryset=Sector.objects.none(), required=False)
    special = forms.ModelChoiceField(
        label=_("或邀请专委会委员"), queryset=SpecialCommittee.objects.none(), required=False
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, committee=committee, **kwargs)
        self.fields["sector"].queryset = Sector.objects.for_committee(committee)
        self.fields["special"].queryset = SpecialCommittee.objects.for_committee(committee)

    def chosen(self) -> list:
        """The members picked one by one plus every active member of the chosen sector or special committee."""
        data = self.cleaned_data
        people = {m.pk: m for m in data["members"]}
        active = Member.objects.for_committee(self.committee).filter(state=Member.State.ACTIVE)
        if data["sector"]:
            people.update({m.pk: m for m in active.filter(sector=data["sector"])})
        if data["special"]:
            people.update({m.pk: m for m in active.filter(special_committees=data["special"])})
        return list(people.values())

    def clean(self):
        data = super().clean()
        if not (data.get("members") or data.get("sector") or data.get("special")):
            raise forms.ValidationError(_("请选择委员、界别或专委会。"))
        return data


class MaterialForm(forms.Form):
    purpose = forms.ChoiceField(label=_("类别"), choices=Material.Purpose.choices)
    file = forms.FileField(label=_("文件"))


class SpeechForm(_Scoped):
    member = forms.ModelChoiceField(label=_("委员"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("方式"), choices=Speech.Kind.choices)
    title = forms.CharField(label=_("题目"), max_length=200)
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 4}))


class OpinionForm(forms.Form):
    title = forms.CharField(label=_("题目"), max_length=200)
    text = forms.CharField(label=_("书面意见"), widget=forms.Textarea(attrs={"rows": 6}))


class PostForm(forms.Form):
    text = forms.CharField(label=_("我的发言"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HideForm(forms.Form):
    reason = forms.CharField(label=_("隐藏理由"), max_length=200)


class OutcomeForm(_Scoped):
    title = forms.CharField(label=_("成果标题"), max_length=200)
    summary = forms.CharField(label=_("成果报告"), widget=forms.Textarea(attrs={"rows": 8}))
    drafters = forms.ModelMultipleChoiceField(
        label=_("执笔委员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )


class RecommendationForm(_Scoped):
    text = forms.CharField(label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(
        label=_("责任部门"), queryset=HandlingUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(
        label=_("反馈期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("不填则按默认期限(送达后若干天)"),
    )  # fmt: skip


class SupervisionForm(_Scoped):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("监督议题"), max_length=200)
    lead = forms.ModelChoiceField(label=_("牵头专委会"), queryset=SpecialCommittee.objects.none(), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("被监督部门"), queryset=HandlingUnit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("监督内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InspectionForm(_Scoped):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点"), max_length=200)
    members = forms.ModelMultipleChoiceField(
        label=_("参加委员"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    notes = forms.CharField(label=_("情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(_Scoped):
    text = forms.CharField(label=_("发现的问题"), widget=forms.Textarea(attrs={"rows": 2}))
    unit = forms.ModelChoiceField(label=_("涉及部门"), queryset=HandlingUnit.objects.none(), required=False)


class OpenFilterForm(_Scoped):
    unit = forms.ModelChoiceField(
        label=_("责任部门"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label=_("全部"),
        widget=FastSelect,
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    min_age = forms.IntegerField(label=_("送达超过(天)"), min_value=0, max_value=10000, required=False)


class AnswerForm(forms.Form):
    adoption = forms.ChoiceField(label=_("采纳情况"), choices=Response.Adoption.choices, widget=forms.RadioSelect)
    answer = forms.CharField(label=_("办理意见"), widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(
        label=_("不采纳理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("不采纳时必填")
    )


class StepForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label=_("落实情况"), widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("落实结果反馈"), widget=forms.Textarea(attrs={"rows": 4}))
