"""Forms of the handling unit's pages and the leader's supervision page. They only check the shape of the
input; the rules (deadlines, states, who may act, the PDF check) are in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Contact
from .services import answer_categories


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如:不属于本单位职责,建议交由某某单位办理。"),
        error_messages={"required": _("请填写退回理由。")},
    )


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("沟通方式"), choices=Contact.Method.choices)
    date = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写沟通日期。"), "invalid": _("请填写正确的日期。")},
    )
    note = forms.CharField(
        label=_("沟通情况"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写沟通情况。")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate(), "method": Contact.Method.PHONE})
        super().__init__(*args, **kwargs)


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("会办意见"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("本单位对提案办理的意见,供主办单位答复时会签。"),
        error_messages={"required": _("请填写会办意见。")},
    )


class AnswerForm(forms.Form):
    category = forms.ChoiceField(label=_("答复类别"), error_messages={"required": _("请选择答复类别。")})
    text = forms.CharField(
        label=_("答复内容"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("请填写答复内容。")},
    )
    letter = forms.FileField(
        label=_("答复函(盖章 PDF)"),
        help_text=_("请上传加盖公章的正式答复函扫描件,PDF 格式。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={"required": _("请上传盖章的答复函(PDF)。")},
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择"))] + [
            (code, f"{code} {label}") for code, label in answer_categories(committee).items()
        ]


class ProgressNoteForm(forms.Form):
    text = forms.CharField(
        label=_("督办进展"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写进展情况。")},
    )
