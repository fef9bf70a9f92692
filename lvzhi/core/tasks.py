from celery import shared_task
from django.contrib.auth import get_user_model

from .notify import Message, channel


@shared_task
def deliver_notification(user_ids, committee_id, title, body, url, channels):
    message = Message(committee_id=committee_id, title=title, body=body, url=url)
    backends = [channel(name) for name in channels]
    for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True):
        for backend in backends:
            backend.send(user, message)
