from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "lvzhi.meetings"
    label = "meetings"
    verbose_name = _("会议")

    def ready(self):
        from . import caching, workflow  # noqa: F401  (register the workflows)

        caching.connect()
