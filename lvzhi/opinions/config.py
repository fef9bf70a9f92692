"""Per-committee settings of public-opinion reports (defaults of ../shared/RULES.md)."""

from django.utils.translation import gettext_noop

from lvzhi.core.config import DEFAULTS

DEFAULTS.update(
    {
        "opinions.max_chars": 1500,  # situation + suggestion: one matter a report, about 1,500 characters
        "opinions.attachment_max_mb": 10,
        "opinions.attachment_types": [".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png"],
        "opinions.max_attachments": 5,
        "opinions.bulletin_name": gettext_noop("社情民意"),
        "opinions.topics": [
            gettext_noop("经济发展"),
            gettext_noop("城乡建设"),
            gettext_noop("社会民生"),
            gettext_noop("教育卫生"),
            gettext_noop("生态环境"),
            gettext_noop("社会治理"),
            gettext_noop("文化旅游"),
            gettext_noop("其他"),
        ],
    }
)
