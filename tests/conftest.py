"""Shared fixtures: the Qiantang demo district is loaded once per test database, and tests use its
named people (see lvzhi/org/demo.py and README)."""

import os

import pytest
from django.test import Client

from lvzhi import demo
from lvzhi.accounts.models import User
from lvzhi.org.demo import HANGZHOU, QIANTANG
from lvzhi.org.models import Committee

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo.load()


@pytest.fixture(autouse=True)
def _fresh_caches(settings):
    from django.core.cache import caches

    for alias in ("default", "local", "objects"):
        caches[alias].clear()
    settings.AXES_ENABLED = True
    yield


@pytest.fixture
def transactional_demo(transactional_db):
    """For tests that use real concurrent connections: the demo data in a committed database (the
    flush after a transactional test removes it, so it is loaded again here)."""
    demo.load()


@pytest.fixture
def qiantang(db) -> Committee:
    return Committee.objects.get(name=QIANTANG)


@pytest.fixture
def hangzhou(db) -> Committee:
    return Committee.objects.get(name=HANGZHOU)


def user(username: str) -> User:
    return User.objects.get(username=username)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(user(username))
    return client


@pytest.fixture
def office_client(db) -> Client:
    return client_for("office")


@pytest.fixture
def member_client(db) -> Client:
    return client_for("zhuzheng")
