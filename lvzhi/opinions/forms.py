"""Forms of the opinions pages (input shape only; the rules are in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.proposals.forms_member import MultipleFileField

from .models import Level, OpinionReport


class ReportForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    topic = forms.ChoiceField(label=_("类别"), required=False)
    source = forms.ChoiceField(label=_("来源"), required=False)
    situation = forms.CharField(label=_("情况"), required=False, widget=forms.Textarea(attrs={"rows": 7}))
    suggestion = forms.CharField(label=_("建议"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    resident_name = forms.CharField(label=_("反映群众姓名"), required=False, max_length=50)
    resident_phone = forms.CharField(label=_("反映群众电话"), required=False, max_length=30)
    resident_notes = forms.CharField(
        label=_("群众情况备注"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    co_author = forms.ModelChoiceField(label=_("联名委员(可选)"), queryset=None, required=False)
    files = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, topics: list[str], sources: list[tuple[str, str]], types: list[str], members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_author"].queryset = members
        self.fields["topic"].choices = [("", _("请选择"))] + [(t, t) for t in topics]
        if len(sources) > 1:
            self.fields["source"].choices = sources
        else:
            del self.fields["source"]
        self.fields["title"].widget.attrs.update(placeholder=_("关于……的情况反映 / 建议"), autocomplete="off")
        self.fields["situation"].widget.attrs.update(placeholder=_("发生了什么,涉及哪些人、多大范围"))
        self.fields["suggestion"].widget.attrs.update(placeholder=_("具体可行的办法,可以分条写"))
        self.fields["files"].widget.attrs.update(accept=",".join(types))

    def values(self) -> dict:
        keys = (
            "title",
            "topic",
            "source",
            "situation",
            "suggestion",
            "resident_name",
            "resident_phone",
            "resident_notes",
        )
        return {k: self.cleaned_data.get(k, "") for k in keys}


class EditForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    topic = forms.ChoiceField(label=_("类别"), required=False)
    situation = forms.CharField(label=_("情况"), widget=forms.Textarea(attrs={"rows": 10}))
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, topics: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "—")] + [(t, t) for t in topics]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class AdoptionForm(forms.Form):
    level = forms.ChoiceField(label=_("采用层级"), choices=Level.choices)
    body = forms.CharField(label=_("采用单位"), max_length=100)
    date = forms.DateField(label=_("采用日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class InstructionForm(forms.Form):
    level = forms.ChoiceField(label=_("领导层级"), choices=Level.choices)
    leader = forms.CharField(label=_("批示领导"), max_length=60)
    text = forms.CharField(label=_("批示内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("批示日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class IssueForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    title = forms.CharField(label=_("本期标题"), required=False, max_length=120)


class QueueFilter(forms.Form):
    STATES = [("", _("全部")), ("open", _("待处理"))]
    state = forms.ChoiceField(label=_("状态"), required=False)
    topic = forms.ChoiceField(label=_("类别"), required=False)
    source = forms.ChoiceField(label=_("来源"), required=False)
    q = forms.CharField(label=_("标题或作者"), required=False, max_length=50)

    def __init__(self, *args, topics: list[str], states: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = self.STATES + states
        self.fields["topic"].choices = [("", _("全部"))] + [(t, t) for t in topics]
        self.fields["source"].choices = (
            [("", _("全部"))] + list(OpinionReport.Source.choices) + [("forwarded", _("下级政协报送"))]
        )


class ReporterForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, help_text=_("已有账户(如委员本人)填其用户名即可"))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    mobile = forms.CharField(label=_("手机号"), max_length=20, required=False)
    password = forms.CharField(label=_("初始密码(可不填,用短信验证码登录)"), required=False, widget=forms.PasswordInput)
    contact_point = forms.ModelChoiceField(label=_("社情民意联系点"), queryset=None, required=False)
    studio = forms.ModelChoiceField(label=_("委员工作室"), queryset=None, required=False)

    def __init__(self, *args, committee, **kwargs):
        from lvzhi.org.models import ContactPoint, Studio

        super().__init__(*args, **kwargs)
        self.fields["contact_point"].queryset = ContactPoint.objects.for_committee(committee)
        self.fields["studio"].queryset = Studio.objects.for_committee(committee)
