from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lvzhi.proposals"
    label = "proposals"
    verbose_name = _("提案")

    def ready(self):
        from . import config, workflow  # noqa: F401  (register settings defaults and workflows)
