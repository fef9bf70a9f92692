"""Per-committee settings of the duty evaluation (a committee overrides them in Committee.config)."""

from lvzhi.core.config import DEFAULTS

DEFAULTS.update(
    {
        # Members see their rank within their sector on their score page.
        "evaluation.show_rank": False,
        # Who reviews (履职点评) standing members' duty reports: "staff", "peers" (other standing members)
        # or "both".
        "evaluation.review_by": "staff",
    }
)
