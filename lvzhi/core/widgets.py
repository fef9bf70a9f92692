"""Select widgets that render their options in Python instead of one template per option.

Django renders every <option> through a template include; a desk page with a dozen filters and the list
of handling units (the proposals' review queue) spent most of its time there. These widgets give the same
HTML as Django's (name, attributes, selected options, optgroups) from the same context, built with
format_html, so escaping is unchanged."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class _FastOptions:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(format_html('<optgroup label="{}">', group))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        "" if option["value"] is None else str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))


class FastSelect(_FastOptions, forms.Select):
    pass


class FastSelectMultiple(_FastOptions, forms.SelectMultiple):
    pass
