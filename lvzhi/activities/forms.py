"""Forms of the activity and reading pages. Every choice is limited to the current committee's rows; the
business rules stay in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Member, Sector, SpecialCommittee, Studio

from .models import Activity, Book, Outcome, ReadingGroup

DT_FORMAT = "%Y-%m-%dT%H:%M"


def _dt_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT),
        input_formats=[DT_FORMAT, "%Y-%m-%d %H:%M"],
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("活动类型"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=120)
    place = forms.CharField(label=_("地点"), max_length=120)
    starts_at = _dt_field(_("开始时间"))
    ends_at = _dt_field(_("结束时间"))
    signup_deadline = _dt_field(_("报名截止时间"))
    capacity = forms.IntegerField(
        label=_("名额"), required=False, min_value=1, max_value=100000, help_text=_("不填为不限名额")
    )
    organiser_special = forms.ModelChoiceField(
        label=_("主办专委会"), queryset=SpecialCommittee.objects.none(), required=False
    )
    organiser_studio = forms.ModelChoiceField(label=_("主办委员工作室"), queryset=Studio.objects.none(), required=False)
    audience = forms.ChoiceField(label=_("报名范围"), choices=Activity.Audience.choices, initial="all")
    audience_sector = forms.ModelChoiceField(label=_("限界别"), queryset=Sector.objects.none(), required=False)
    audience_special = forms.ModelChoiceField(
        label=_("限专委会"), queryset=SpecialCommittee.objects.none(), required=False
    )
    audience_studio = forms.ModelChoiceField(label=_("限委员工作室"), queryset=Studio.objects.none(), required=False)
    self_checkin = forms.BooleanField(label=_("允许委员输入签到码自助签到"), required=False, initial=True)
    description = forms.CharField(label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 5}), required=False)

    def __init__(self, data=None, *, committee, initial=None):
        super().__init__(data, initial=initial)
        for name, model in (
            ("organiser_special", SpecialCommittee),
            ("organiser_studio", Studio),
            ("audience_sector", Sector),
            ("audience_special", SpecialCommittee),
            ("audience_studio", Studio),
        ):
            self.fields[name].queryset = model.objects.for_committee(committee)
            self.fields[name].empty_label = _("(无)") if name.startswith("organiser") else _("请选择")
        self.fields["organiser_special"].help_text = _("都不选为政协办公室主办")

    @classmethod
    def initial_of(cls, a: Activity) -> dict:
        local = timezone.localtime
        return {
            "kind": a.kind,
            "title": a.title,
            "place": a.place,
            "starts_at": local(a.starts_at),
            "ends_at": local(a.ends_at),
            "signup_deadline": local(a.signup_deadline),
            "capacity": a.capacity,
            "organiser_special": a.organiser_special_id,
            "organiser_studio": a.organiser_studio_id,
            "audience": a.audience,
            "audience_sector": a.audience_sector_id,
            "audience_special": a.audience_special_id,
            "audience_studio": a.audience_studio_id,
            "self_checkin": a.self_checkin,
            "description": a.description,
        }


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=500)


class CheckinCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("签到码"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("签到码是六位数字。"), "required": _("请输入签到码。")},
    )


class ReportForm(forms.Form):
    title = forms.CharField(label=_("报告题目"), max_length=120)
    text = forms.CharField(label=_("报告正文"), widget=forms.Textarea(attrs={"rows": 10}))
    coauthors = forms.ModelMultipleChoiceField(
        label=_("共同作者(同去的委员)"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data=None, *, participants):
        super().__init__(data)
        self.fields["coauthors"].queryset = participants


class PhotoForm(forms.Form):
    caption = forms.CharField(label=_("照片说明"), max_length=120, required=False)


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("成果类型"), choices=Outcome.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    summary = forms.CharField(label=_("摘要"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class BookForm(forms.Form):
    title = forms.CharField(label=_("书名"), max_length=120)
    author = forms.CharField(label=_("作者"), max_length=120, required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("小组名称"), max_length=60)
    description = forms.CharField(label=_("简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    members = forms.ModelMultipleChoiceField(label=_("组员"), queryset=Member.objects.none(), required=False)
    convener = forms.ModelChoiceField(label=_("召集人"), queryset=Member.objects.none(), required=False)
    books = forms.ModelMultipleChoiceField(label=_("共读书目"), queryset=Book.objects.none(), required=False)

    def __init__(self, data=None, *, committee, initial=None):
        super().__init__(data, initial=initial)
        members = Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE).select_related("sector")
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: f"{m.name} · {m.sector.name}"
        self.fields["members"].widget.attrs["size"] = 12
        self.fields["members"].help_text = _("按住 Ctrl(Mac 为 ⌘)可多选。")
        self.fields["convener"].queryset = members
        self.fields["convener"].empty_label = _("(暂无)")
        self.fields["books"].queryset = Book.objects.for_committee(committee)

    @classmethod
    def initial_of(cls, g: ReadingGroup) -> dict:
        return {
            "name": g.name,
            "description": g.description,
            "members": list(g.members.values_list("pk", flat=True)),
            "convener": g.convener_id,
            "books": list(g.books.values_list("pk", flat=True)),
        }


class RecordForm(forms.Form):
    book = forms.ModelChoiceField(label=_("书名"), queryset=Book.objects.none())
    read_on = forms.DateField(label=_("阅读日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    group = forms.ModelChoiceField(label=_("读书小组"), queryset=ReadingGroup.objects.none(), required=False)
    notes = forms.CharField(label=_("读书心得"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, data=None, *, committee, member):
        super().__init__(data, initial={"read_on": timezone.localdate()})
        self.fields["book"].queryset = Book.objects.for_committee(committee)
        self.fields["book"].empty_label = _("请选择")
        self.fields["group"].queryset = ReadingGroup.objects.for_committee(committee).filter(members=member)
        self.fields["group"].empty_label = _("(个人阅读)")
