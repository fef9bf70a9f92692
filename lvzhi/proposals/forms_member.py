"""Forms of the member's phone pages: the proposal form, the co-signer search, the evaluation.
They only read and shape input; every rule (body length, attachment type and size, who may do what) is
checked by the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, Evaluation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("案由(标题)"),
        max_length=120,
        error_messages={"required": _("请填写案由(标题)。"), "max_length": _("案由最多 %(limit_value)d 个字。")},
    )
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("请选择类别"),
        error_messages={"invalid_choice": _("没有这个类别,请重新选择。")},
    )
    problem = forms.CharField(label=_("问题"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    analysis = forms.CharField(label=_("分析"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    suggestion = forms.CharField(label=_("建议"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    agree_publish = forms.BooleanField(label=_("同意公开本提案及答复"), required=False, initial=True)
    files = MultipleFileField(label=_("附件"), required=False)

    def __init__(self, *args, committee, body_max: int, types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.for_committee(committee).order_by("order", "name")
        self.fields["title"].widget.attrs.update(placeholder=_("关于……的建议"), autocomplete="off")
        self.fields["problem"].widget.attrs.update(placeholder=_("发现了什么问题"))
        self.fields["analysis"].widget.attrs.update(placeholder=_("问题的原因"))
        self.fields["suggestion"].widget.attrs.update(placeholder=_("具体可行的办法,可以分条写"))
        for name in ("problem", "analysis", "suggestion"):
            self.fields[name].widget.attrs.update({"data-count": "body"})
        self.fields["files"].widget.attrs.update(accept=",".join(types))
        self.body_max = body_max

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "category": data["category"],
            "problem": data["problem"].strip(),
            "analysis": data["analysis"].strip(),
            "suggestion": data["suggestion"].strip(),
            "agree_publish": data["agree_publish"],
        }


class SimilarForm(forms.Form):
    """The text posted to "查看相似提案" (the same names as the proposal form)."""

    title = forms.CharField(required=False, max_length=120)
    problem = forms.CharField(required=False)
    analysis = forms.CharField(required=False)
    suggestion = forms.CharField(required=False)
    pk = forms.IntegerField(required=False)

    def text(self) -> str:
        d = self.cleaned_data
        return "\n".join(v.strip() for v in (d["title"], d["problem"], d["analysis"], d["suggestion"]) if v.strip())


class CosignerSearchForm(forms.Form):
    q = forms.CharField(label=_("委员姓名"), max_length=50, required=False)


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(
        choices=Evaluation.Rating.choices,
        error_messages={
            "required": _("请选择满意、基本满意或不满意。"),
            "invalid_choice": _("请选择满意、基本满意或不满意。"),
        },
    )
    comment = forms.CharField(label=_("意见(可不填)"), required=False, max_length=2000)
