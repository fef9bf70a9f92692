from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "lvzhi.consultations"
    label = "consultations"
    verbose_name = _("协商与民主监督")

    def ready(self):
        from . import config, workflow  # noqa: F401  (register settings defaults and workflows)
