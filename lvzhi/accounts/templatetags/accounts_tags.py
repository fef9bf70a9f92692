from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def lockout_minutes() -> int:
    """How long a locked account stays locked, in minutes (settings.AXES_COOLOFF_TIME is in hours)."""
    return round(float(settings.AXES_COOLOFF_TIME or 0) * 60)


@register.filter
def masked_mobile(mobile: str) -> str:
    """139****0118: enough for the owner to recognise, not enough to read someone's number off a screen."""
    mobile = str(mobile or "")
    if len(mobile) < 7:
        return mobile
    return f"{mobile[:3]}****{mobile[-4:]}"
