from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "lvzhi.org"
    label = "org"
    verbose_name = _("组织与委员")

    def ready(self):
        from . import caching

        caching.connect()
