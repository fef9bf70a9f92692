"""Invalidation of the principal cache (lvzhi.core.caching): a user's row, their roles, any committee, an
API token. Connected in CoreConfig.ready. Bulk writes that bypass signals (the demo loader) call
`caching.forget_all_users()` themselves."""

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_delete, post_save

from . import caching


def _user_changed(sender, instance, **kwargs):
    caching.forget_user(instance.pk)


def _membership_changed(sender, instance, **kwargs):
    caching.forget_user(instance.user_id)


def _committee_changed(sender, instance, **kwargs):
    caching.forget_all_users()


def _api_token_changed(sender, instance, **kwargs):
    caching.forget_user(instance.user_id)  # a cached token records the user's tokens: now void


def connect() -> None:
    request_started.connect(caching.begin_request, dispatch_uid="lvzhi-cache-begin")
    request_finished.connect(caching.end_request, dispatch_uid="lvzhi-cache-end")
    user = apps.get_model("accounts", "User")
    membership = apps.get_model("org", "Membership")
    committee = apps.get_model("org", "Committee")
    api_token = apps.get_model("accounts", "ApiToken")
    for signal in (post_save, post_delete):
        signal.connect(_user_changed, sender=user, dispatch_uid="lvzhi-cache-user")
        signal.connect(_membership_changed, sender=membership, dispatch_uid="lvzhi-cache-membership")
        signal.connect(_committee_changed, sender=committee, dispatch_uid="lvzhi-cache-committee")
    post_save.connect(_api_token_changed, sender=api_token, dispatch_uid="lvzhi-cache-apitoken-save")
    post_delete.connect(_api_token_changed, sender=api_token, dispatch_uid="lvzhi-cache-apitoken")
