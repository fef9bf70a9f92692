from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lvzhi.evaluation"
    label = "evaluation"
    verbose_name = _("履职量化考评")

    def ready(self):
        from lvzhi.core.events import event_recorded

        from . import config, workflow  # noqa: F401  (register the settings and the workflows)
        from .ledger import on_event_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="evaluation-ledger")
