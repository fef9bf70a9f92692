from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "lvzhi.opinions"
    label = "opinions"
    verbose_name = _("社情民意")

    def ready(self):
        from lvzhi.core.events import event_recorded

        from . import config, workflow  # noqa: F401  (register settings and the workflow)
        from .handoff import on_event

        event_recorded.connect(on_event, dispatch_uid="opinions.handoff")
