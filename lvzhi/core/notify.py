"""Notifications: an inbox per user and a channel interface (in-app, SMS, work-app message).

Channels are configured in settings.NOTIFY_CHANNELS; the SMS and work-app defaults write to the log.
A production deployment points NOTIFY_SMS_BACKEND at a class with the same `send` (an SMS gateway).
Delivery runs as a Celery task after the transaction commits (in-process when no broker is set).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger("lvzhi.notify")


@dataclass
class Message:
    committee_id: int
    title: str
    body: str = ""
    url: str = ""


class Channel:
    name = "base"

    def send(self, user, message: Message) -> None:
        raise NotImplementedError

    def send_text(self, mobile: str, text: str) -> None:
        """Send a bare text to a mobile number (SMS log-in codes). Only SMS channels implement it."""
        raise NotImplementedError


class InAppChannel(Channel):
    name = "inapp"

    def send(self, user, message: Message) -> None:
        from .models import Notification

        Notification.objects.create(
            committee_id=message.committee_id, user=user, title=message.title, body=message.body, url=message.url
        )


class ConsoleSmsChannel(Channel):
    name = "sms"

    def send(self, user, message: Message) -> None:
        if user.mobile:
            self.send_text(user.mobile, f"{message.title} {message.body}".strip())

    def send_text(self, mobile: str, text: str) -> None:
        log.info("SMS to %s: %s", mobile, text)


class ConsoleWorkAppChannel(Channel):
    name = "workapp"

    def send(self, user, message: Message) -> None:
        log.info("work-app message to %s: %s %s", user.username, message.title, message.url)


def channel(name: str) -> Channel:
    return import_string(settings.NOTIFY_CHANNELS[name])()


def notify(*, committee, users, title: str, body: str = "", url: str = "", channels=("inapp",)) -> None:
    """Send a message to users once the current transaction commits."""
    user_ids = sorted({u.pk for u in users})
    if not user_ids:
        return
    from .tasks import deliver_notification

    def send():
        deliver_notification.delay(user_ids, committee.pk, str(title), str(body), str(url), list(channels))

    transaction.on_commit(send)
