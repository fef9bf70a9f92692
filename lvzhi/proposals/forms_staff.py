"""Forms of the proposal office's pages. Every choice is limited to the current committee's rows (a posted
id of another committee's unit, category or proposal is an invalid choice); business rules stay in services."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.models import User
from lvzhi.core.config import setting
from lvzhi.core.roles import Role
from lvzhi.core.widgets import FastSelect, FastSelectMultiple
from lvzhi.org.models import HandlingUnit, Party, Sector, Session, SpecialCommittee

from .models import Category, Proposal
from .services import answer_categories
from .workflow import PROPOSAL


def _scoped(committee, model):
    return model.objects.for_committee(committee)


def _units(committee):
    return HandlingUnit.objects.for_committee(committee).filter(active=True)


class QueueFilterForm(forms.Form):
    """The review queue's filters; they live in the query string. An invalid filter is ignored."""

    OVERDUE = [("", _("全部")), ("1", _("已逾期")), ("0", _("未逾期"))]

    q = forms.CharField(label=_("案由或提案号"), required=False, max_length=60)
    session = forms.ModelChoiceField(
        label=_("次会议"), queryset=Session.objects.none(), required=False, widget=FastSelect
    )
    state = forms.ChoiceField(label=_("状态"), required=False, widget=FastSelect)
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=Category.objects.none(), required=False, widget=FastSelect
    )
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(), required=False, widget=FastSelect)
    party = forms.ModelChoiceField(
        label=_("党派团体"), queryset=Party.objects.none(), required=False, widget=FastSelect
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=HandlingUnit.objects.none(), required=False, widget=FastSelect
    )
    overdue = forms.ChoiceField(label=_("逾期"), choices=OVERDUE, required=False, widget=FastSelect)

    def __init__(self, data, *, committee):
        super().__init__(data)
        self.fields["q"].widget.attrs.update(type="search", placeholder=_("搜索案由或提案号"))
        states = [(k, v) for k, v in PROPOSAL.states.items() if k not in ("draft", "withdrawn")]
        self.fields["state"].choices = [("", _("全部")), *states]
        for name, model in (("session", Session), ("category", Category), ("sector", Sector), ("party", Party)):
            self.fields[name].queryset = _scoped(committee, model)
            self.fields[name].empty_label = _("全部")
        self.fields["unit"].queryset = HandlingUnit.objects.for_committee(committee)
        self.fields["unit"].empty_label = _("全部")

    def query_args(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "session": data.get("session"),
            "state": data.get("state") or "",
            "category": data.get("category"),
            "sector": data.get("sector"),
            "party": data.get("party"),
            "unit": data.get("unit"),
            "overdue": {"1": True, "0": False}.get(data.get("overdue") or ""),
        }


class StatsFilterForm(forms.Form):
    session = forms.ModelChoiceField(label=_("次会议"), queryset=Session.objects.none(), required=False)

    def __init__(self, data, *, committee):
        super().__init__(data)
        self.fields["session"].queryset = _scoped(committee, Session)
        self.fields["session"].empty_label = _("全部")

    def chosen_session(self):
        self.is_valid()
        return self.cleaned_data.get("session")


def _due_default(committee) -> dt.date:
    return timezone.localdate() + relativedelta(months=setting(committee, "proposals.due_months"))


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _clean_due(value):
    if value is not None and value <= timezone.localdate():
        raise forms.ValidationError(_g("答复期限须晚于今天。"))
    return value


class BatchForm(forms.Form):
    """The queue's checkboxes and the batch action: 立案 or 交办 (same lead unit, co-units, due date)."""

    ACTIONS = [("file", _("批量立案")), ("assign", _("批量交办"))]

    action = forms.ChoiceField(choices=ACTIONS, widget=FastSelect)
    ids = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.none(), error_messages={"required": _("请勾选提案。")}
    )
    lead_unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=HandlingUnit.objects.none(), required=False, widget=FastSelect
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("会办单位"), queryset=HandlingUnit.objects.none(), required=False, widget=FastSelectMultiple
    )
    due_date = forms.DateField(label=_("答复期限"), required=False, widget=_date_widget())

    def __init__(self, data=None, *, committee, proposals):
        super().__init__(data, initial={"due_date": _due_default(committee)})
        self.fields["ids"].queryset = proposals
        self.fields["lead_unit"].queryset = _units(committee)
        self.fields["co_units"].queryset = _units(committee)
        self.fields["co_units"].widget.attrs["size"] = 4
        self.fields["lead_unit"].empty_label = _("请选择")

    def clean_due_date(self):
        return _clean_due(self.cleaned_data.get("due_date"))

    def clean(self):
        data = super().clean()
        if data.get("action") == "assign" and not data.get("lead_unit"):
            self.add_error("lead_unit", _g("批量交办请选择主办单位。"))
        return data


class FileForm(forms.Form):
    category = forms.ModelChoiceField(label=_("类别(可调整)"), queryset=Category.objects.none(), required=False)

    def __init__(self, data=None, *, committee, proposal=None):
        super().__init__(data, initial={"category": proposal.category_id if proposal else None})
        self.fields["category"].queryset = _scoped(committee, Category)
        self.fields["category"].empty_label = _("不调整")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_g("请填写理由。"))
        return reason


class RejectForm(forms.Form):
    """不予立案: a reason from the committee's list, or written out."""

    preset = forms.ChoiceField(label=_("不予立案理由"), required=False)
    reason = forms.CharField(
        label=_("其他理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, data=None, *, committee):
        super().__init__(data)
        reasons = [_g(r) for r in setting(committee, "proposals.reject_reasons")]
        self.fields["preset"].choices = [("", _("请选择或填写其他理由")), *[(r, r) for r in reasons]]

    def clean(self):
        data = super().clean()
        reason = (data.get("reason") or "").strip() or data.get("preset") or ""
        if not reason:
            raise forms.ValidationError(_g("请选择或填写不予立案的理由。"))
        data["text"] = reason
        return data


class MergeForm(forms.Form):
    others = forms.ModelMultipleChoiceField(
        label=_("并入本案的提案"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择要并入的提案。")},
    )

    def __init__(self, data=None, *, candidates):
        super().__init__(data)
        self.fields["others"].queryset = candidates


class AssignForm(forms.Form):
    MODES = [("lead", _("主办 + 会办")), ("split", _("分办"))]

    mode = forms.ChoiceField(label=_("交办方式"), choices=MODES, initial="lead", widget=forms.RadioSelect)
    lead_unit = forms.ModelChoiceField(
        label=_("主办单位"), queryset=HandlingUnit.objects.none(), required=False, widget=FastSelect
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("会办单位"), queryset=HandlingUnit.objects.none(), required=False, widget=FastSelectMultiple
    )
    split_units = forms.ModelMultipleChoiceField(
        label=_("分办单位"), queryset=HandlingUnit.objects.none(), required=False
    )
    due_date = forms.DateField(label=_("答复期限"), widget=_date_widget())

    def __init__(self, data=None, *, committee, initial=None):
        super().__init__(data, initial={"due_date": _due_default(committee), **(initial or {})})
        for name in ("lead_unit", "co_units", "split_units"):
            self.fields[name].queryset = _units(committee)
        self.fields["lead_unit"].empty_label = _("请选择")
        self.fields["co_units"].widget.attrs["size"] = 5
        self.fields["split_units"].widget.attrs["size"] = 5

    def clean_due_date(self):
        return _clean_due(self.cleaned_data.get("due_date"))

    def service_args(self) -> dict:
        data = self.cleaned_data
        if data["mode"] == "split":
            return {"split_units": list(data["split_units"]), "due_date": data["due_date"]}
        return {"lead_unit": data["lead_unit"], "co_units": list(data["co_units"]), "due_date": data["due_date"]}


class ApproveAnswerForm(forms.Form):
    category = forms.ChoiceField(label=_("答复类别(可调整)"), required=False)

    def __init__(self, data=None, *, committee, current=""):
        super().__init__(data, initial={"category": current})
        self.fields["category"].choices = [
            ("", _("不调整")),
            *[(code, f"{code} {label}") for code, label in answer_categories(committee).items()],
        ]


class KeyForm(forms.Form):
    key = forms.BooleanField(label=_("列为重点提案"), required=False, initial=True)
    supervisor = forms.ModelChoiceField(label=_("督办领导"), queryset=User.objects.none(), required=False)

    def __init__(self, data=None, *, committee, proposal=None):
        initial = {"key": True, "supervisor": proposal.supervisor_id} if proposal else {}
        super().__init__(data, initial=initial)
        self.fields["supervisor"].queryset = (
            User.objects.filter(memberships__committee=committee, memberships__role=Role.LEADER)
            .distinct()
            .order_by("pk")
        )
        self.fields["supervisor"].empty_label = _("暂不指定")


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("督办进展"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写进展情况。")},
    )


class ExcellentForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, data=None):
        super().__init__(data, initial={"year": timezone.localdate().year})


class PublishForm(forms.Form):
    publish = forms.BooleanField(required=False)


def collective_bodies(committee) -> list[tuple[str, list[tuple[str, str]]]]:
    """The bodies on whose behalf staff write a collective proposal: sectors, special committees, parties."""
    groups = []
    for label, model in ((_("界别"), Sector), (_("专委会"), SpecialCommittee), (_("党派团体"), Party)):
        names = _scoped(committee, model).values_list("name", flat=True)
        groups.append((label, [(n, n) for n in names]))
    return groups


class CollectiveForm(forms.Form):
    collective_name = forms.ChoiceField(label=_("提案单位"))
    title = forms.CharField(label=_("案由"), max_length=120)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    problem = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 4}))
    analysis = forms.CharField(label=_("分析"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 4}))
    agree_publish = forms.BooleanField(label=_("同意公开"), required=False, initial=True)

    def __init__(self, data=None, *, committee):
        super().__init__(data)
        self.fields["collective_name"].choices = [("", _("请选择")), *collective_bodies(committee)]
        self.fields["category"].queryset = _scoped(committee, Category)
        self.fields["category"].empty_label = _("请选择")

    def service_values(self) -> dict:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in ("collective_name", "title", "category", "problem", "analysis", "suggestion", "agree_publish")
        }
