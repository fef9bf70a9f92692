"""Forms of the seat plan page (座位图). The rules (ranges, a seat held by another member, enough seats) are
the services' (services_seats.py); the forms only read the input."""

import re

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from . import services_seats as seats
from .models import Invitation, Meeting


class PlanForm(forms.Form):
    rows = forms.IntegerField(label=_("排数"), min_value=1, max_value=seats.MAX_ROWS)
    seats_per_row = forms.IntegerField(label=_("每排座位数"), min_value=1, max_value=seats.MAX_SEATS_PER_ROW)
    reserved_rows = forms.CharField(
        label=_("预留排"),
        required=False,
        max_length=200,
        help_text=_("例如“1”或“1,2”:这些排不参加自动排座,可手动安排领导等。"),
    )
    reserved_label = forms.CharField(
        label=_("预留排用途"), required=False, max_length=30, help_text=_("例如“领导席”。")
    )

    def clean_reserved_rows(self) -> list[int]:
        text = (self.cleaned_data.get("reserved_rows") or "").strip()
        if not text:
            return []
        parts = [p for p in re.split(r"[\s,,、;;]+", text) if p]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_g("预留排请填写排号,多个排号用逗号分隔,例如“1,2”。"))
        return sorted({int(p) for p in parts})


class AutoForm(forms.Form):
    ORDERS = [
        (seats.ORDER_SECTOR, _("按界别顺序,再按姓名")),
        (seats.ORDER_GROUP, _("按讨论组(组内按界别、姓名)")),
    ]
    order = forms.ChoiceField(label=_("排座方式"), choices=ORDERS, initial=seats.ORDER_SECTOR, widget=forms.RadioSelect)


class AssignForm(forms.Form):
    invitation = forms.ModelChoiceField(label=_("委员"), queryset=Invitation.objects.none())
    row = forms.IntegerField(label=_("排"), min_value=1, max_value=seats.MAX_ROWS, required=False)
    number = forms.IntegerField(label=_("座"), min_value=1, max_value=seats.MAX_SEATS_PER_ROW, required=False)
    swap = forms.BooleanField(label=_("座位已有人时,与其交换座位"), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = meeting.invitations.select_related("member__sector")
        self.fields["invitation"].label_from_instance = lambda i: (
            f"{i.member.name} · {i.member.sector.name} · {i.seat or _g('未安排座位')}"
        )
        self.fields["invitation"].empty_label = _("请选择委员")

    def clean(self):
        data = super().clean()
        if (data.get("row") is None) != (data.get("number") is None):
            raise forms.ValidationError(_g("请同时填写排号和座号;都不填则取消该委员的座位。"))
        return data
