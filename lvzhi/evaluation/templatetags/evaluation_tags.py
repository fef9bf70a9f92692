from django import template

from lvzhi.evaluation.rules import fmt

register = template.Library()


@register.filter
def pts(value) -> str:
    """Points as people write them: 5, 2.5, −10 (with a plus sign when `signed`)."""
    return fmt(value if value is not None else 0)


@register.filter
def signed(value) -> str:
    text = fmt(value if value is not None else 0)
    return text if text.startswith("−") or text == "0" else "+" + text
