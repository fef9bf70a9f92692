"""The public pages' filters: a committee (the public pages serve every committee), a search text, the
session and the category of that committee. They live in the query string; an invalid one is ignored."""

from django import forms
from django.utils.translation import gettext_lazy as _

from lvzhi.org.models import Committee, Session

from .models import Category


class PublicFilterForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("政协"), queryset=Committee.objects.none(), required=False)
    q = forms.CharField(label=_("搜索"), required=False, max_length=60)
    session = forms.ModelChoiceField(label=_("次会议"), queryset=Session.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none(), required=False)

    def __init__(self, data, *, committee):
        super().__init__(data)
        self.committee = committee
        self.fields["committee"].queryset = Committee.objects.order_by("level", "name")
        self.fields["committee"].empty_label = None
        self.fields["committee"].widget.attrs["data-autosubmit"] = ""
        self.fields["q"].widget.attrs.update(type="search", placeholder=_("搜索案由或内容"))
        for name, model in (("session", Session), ("category", Category)):
            self.fields[name].queryset = model.objects.for_committee(committee) if committee else model.objects.none()
            self.fields[name].empty_label = _("全部")

    def query_args(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"q": (data.get("q") or "").strip(), "session": data.get("session"), "category": data.get("category")}
