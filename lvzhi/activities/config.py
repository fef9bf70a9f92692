"""Per-committee settings of activities (defaults; a committee overrides them in Committee.config)."""

from lvzhi.core.config import DEFAULTS

DEFAULTS.update(
    {
        "activities.checkin_opens_minutes": 60,  # check-in opens this long before the activity starts
        "activities.photo_max_mb": 10,
        "activities.photos_per_member": 20,  # photos one member may upload to one activity
    }
)
