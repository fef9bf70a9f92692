from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lvzhi.accounts"
    label = "accounts"
    verbose_name = _("账户")

    def ready(self):
        from . import services  # noqa: F401 - registers the timeline labels of account events
