from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lvzhi.evaluation"
    label = "evaluation"
    verbose_name = _("履职量化考评")

    def ready(self):
        from lvzhi.core.events import event_recorded, event_written

        from . import config, workflow  # noqa: F401  (register the settings and the workflows)
        from .ledger import on_event_recorded, on_event_written

        event_written.connect(on_event_written, dispatch_uid="evaluation-ledger-eager")
        event_recorded.connect(on_event_recorded, dispatch_uid="evaluation-ledger")
        _cache_rules()


def _cache_rules() -> None:
    """The rule sets read by each derivation are kept under the committee's `rules` token
    (lvzhi.core.caching), replaced when a rule set or a rule of the committee is saved or deleted. The
    rule set's bookkeeping columns written with update() (rebuild marks) are not read by a derivation."""
    from django.db.models.signals import post_delete, post_save

    from lvzhi.core import caching

    from .models import Rule, RuleSet

    caching.register_committee_token("rules")

    def changed(sender, instance, **kwargs):
        caching.bump(caching.committee_token_key("rules", instance.committee_id))

    for model in (Rule, RuleSet):
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, dispatch_uid=f"lvzhi-rules-cache-{model.__name__}", weak=False)
