from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "lvzhi.activities"
    label = "activities"
    verbose_name = _("履职活动")

    def ready(self):
        from . import config, workflow  # noqa: F401  (register settings defaults and workflows)
