"""Forms of the meeting staff's set-up pages. Every choice is limited to the current committee's rows (or the
meeting's own agenda, groups and invited members); business rules stay in the services."""

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Member, Sector, Session

from . import services_setup as setup
from .models import AgendaItem, Group, Invitation, Meeting

DT_FORMAT = "%Y-%m-%dT%H:%M"


def _dt_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT)


def _dt_field(label, required=True):
    return forms.DateTimeField(
        label=label, required=required, widget=_dt_widget(), input_formats=[DT_FORMAT, "%Y-%m-%d %H:%M"]
    )


class InviteFields(forms.Form):
    """Who is invited: the whole committee, the standing committee, a sector or a hand-picked list."""

    SCOPES = [
        (setup.SCOPE_ALL, _("全体委员")),
        (setup.SCOPE_STANDING, _("常委会组成人员")),
        (setup.SCOPE_SECTOR, _("一个界别")),
        (setup.SCOPE_LIST, _("指定委员")),
    ]
    scope = forms.ChoiceField(label=_("邀请范围"), choices=SCOPES, initial=setup.SCOPE_ALL, widget=forms.RadioSelect)
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(), required=False)
    members = forms.ModelMultipleChoiceField(
        label=_("指定委员"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("按住 Ctrl(Mac 为 ⌘)可多选。"),
    )

    def _setup_invite(self, committee):
        self.fields["sector"].queryset = Sector.objects.for_committee(committee)
        self.fields["sector"].empty_label = _("请选择")
        self.fields["members"].queryset = (
            Member.objects.for_committee(committee).filter(state=Member.State.ACTIVE).select_related("sector")
        )
        self.fields["members"].label_from_instance = lambda m: f"{m.name} · {m.sector.name}"
        self.fields["members"].widget.attrs["size"] = 10

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == setup.SCOPE_SECTOR and not data.get("sector"):
            self.add_error("sector", _g("请选择界别。"))
        if scope == setup.SCOPE_LIST and not data.get("members"):
            self.add_error("members", _g("请选择要邀请的委员。"))
        return data

    def invite_fields(self):
        return [self[n] for n in ("sector", "members") if n in self.fields]

    def invite_args(self) -> dict:
        data = self.cleaned_data
        return {"scope": data["scope"], "sector": data.get("sector"), "members": list(data.get("members") or [])}


class InviteForm(InviteFields):
    def __init__(self, data=None, *, committee):
        super().__init__(data)
        self._setup_invite(committee)


class MeetingForm(InviteFields):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Meeting.Kind.choices)
    session = forms.ModelChoiceField(label=_("次会议"), queryset=Session.objects.none(), required=False)
    title = forms.CharField(label=_("会议名称"), max_length=120)
    place = forms.CharField(label=_("地点"), max_length=120)
    starts_at = _dt_field(_("开始时间"))
    ends_at = _dt_field(_("结束时间"))
    doors_open_at = _dt_field(_("开始签到时间"))
    registration_required = forms.BooleanField(label=_("需要报到"), required=False)
    self_checkin = forms.BooleanField(label=_("允许委员用签到码自助签到"), required=False)
    materials = forms.CharField(
        label=_("报到时领取的材料"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项,如:会议指南、出席证。"),
    )
    commitment_text = forms.CharField(
        label=_("承诺书"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("填写后,委员报到时须输入本人姓名签署。"),
    )

    field_order = [
        "kind", "session", "title", "place", "starts_at", "ends_at", "doors_open_at",
        "registration_required", "self_checkin", "materials", "commitment_text", "scope", "sector", "members",
    ]  # fmt: skip

    def __init__(self, data=None, *, committee, meeting: Meeting | None = None):
        initial = None
        if meeting is not None:
            initial = {name: getattr(meeting, name) for name in setup.services.MEETING_FIELDS}
            initial["materials"] = "\n".join(meeting.materials or [])
            initial["session"] = meeting.session_id
        super().__init__(data, initial=initial)
        self.fields["session"].queryset = Session.objects.for_committee(committee).order_by("-id")
        self.fields["session"].empty_label = _("不属于某次会议")
        if meeting is None:
            self._setup_invite(committee)
        else:
            for name in ("scope", "sector", "members"):
                del self.fields[name]

    def meeting_fields(self):
        return [self[n] for n in self.fields if n not in ("scope", "sector", "members")]

    def clean_materials(self):
        names = []
        for line in (self.cleaned_data.get("materials") or "").splitlines():
            line = line.strip()
            if line and line not in names:
                if len(line) > 40:
                    raise forms.ValidationError(_g("每项材料名称不超过 40 个字。"))
                names.append(line)
        if len(names) > 20:
            raise forms.ValidationError(_g("材料最多 20 项。"))
        return names

    def clean(self):
        data = super().clean() if "scope" in self.fields else forms.Form.clean(self)
        starts, ends, doors = data.get("starts_at"), data.get("ends_at"), data.get("doors_open_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _g("结束时间须晚于开始时间。"))
        if starts and doors and doors > starts:
            self.add_error("doors_open_at", _g("开始签到时间不能晚于会议开始时间。"))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in setup.services.MEETING_FIELDS}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("议程"), max_length=200)
    starts_at = _dt_field(_("时间"), required=False)


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("文件(PDF 或 Word)"))
    name = forms.CharField(label=_("名称"), max_length=200, required=False, help_text=_("不填则用文件名。"))
    agenda_item = forms.ModelChoiceField(label=_("所属议程"), queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.all()
        self.fields["agenda_item"].empty_label = _("会议整体(不属于某项议程)")
        self.fields["file"].widget.attrs["accept"] = ".pdf,.doc,.docx"


class AutoGroupsForm(forms.Form):
    count = forms.IntegerField(label=_("分几个组"), min_value=1, max_value=50, initial=6)


class GroupAddForm(forms.Form):
    name = forms.CharField(label=_("组名"), max_length=60)
    room = forms.CharField(label=_("会议室"), max_length=60, required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("组名"), max_length=60)
    room = forms.CharField(label=_("会议室"), max_length=60, required=False)
    convener = forms.ModelChoiceField(label=_("召集人"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, group: Group, **kwargs):
        kwargs.setdefault("initial", {"name": group.name, "room": group.room, "convener": group.convener_id})
        kwargs.setdefault("prefix", f"g{group.pk}")
        super().__init__(*args, **kwargs)
        self.fields["convener"].queryset = Member.objects.filter(invitations__group=group).order_by("name")
        self.fields["convener"].empty_label = _("未指定")


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("讨论纪要"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    speakers = forms.ModelMultipleChoiceField(label=_("发言委员"), queryset=Member.objects.none(), required=False)

    def __init__(self, *args, group: Group, **kwargs):
        kwargs.setdefault("prefix", f"m{group.pk}")
        super().__init__(*args, **kwargs)
        self.fields["speakers"].queryset = Member.objects.filter(invitations__group=group).order_by("name")
        self.fields["speakers"].widget.attrs["size"] = 6


class MoveForm(forms.Form):
    invitation = forms.ModelChoiceField(label=_("委员"), queryset=Invitation.objects.none())
    group = forms.ModelChoiceField(label=_("调到"), queryset=Group.objects.none(), required=False)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = meeting.invitations.select_related("member__sector", "group")
        self.fields["invitation"].label_from_instance = lambda i: (
            f"{i.member.name} · {i.member.sector.name} · {i.group.name if i.group else _g('未分组')}"
        )
        self.fields["invitation"].empty_label = _("请选择委员")
        self.fields["group"].queryset = meeting.groups.all()
        self.fields["group"].empty_label = _("不分组")


class SpeechDecisionForm(forms.Form):
    ACTIONS = [("select", _("安排大会发言")), ("to_written", _("列为书面发言")), ("decline", _("不安排发言"))]
    action = forms.ChoiceField(choices=ACTIONS)
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)

    def clean(self):
        data = super().clean()
        if data.get("action") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _g("不安排发言须填写理由。"))
        return data
