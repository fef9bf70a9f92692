"""Per-committee settings of consultations (a committee overrides them in Committee.config)."""

from lvzhi.core.config import DEFAULTS

DEFAULTS.update(
    {
        "consultations.due_days": 90,  # a department feeds back on a recommendation within 90 days of sending
        "consultations.material_max_mb": 20,
        "consultations.material_types": [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".jpg", ".png"],
    }
)
