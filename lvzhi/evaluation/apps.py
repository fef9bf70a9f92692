from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lvzhi.evaluation"
    label = "evaluation"
    verbose_name = _("履职量化考评")
