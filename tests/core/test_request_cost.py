"""What a logged-in page costs before the view runs: the session, the user, and ONE query for the
user's committees and roles (shared by the middleware, the decorator's perm check and the templates),
and after that first request none: all three come from the caches (lvzhi/core/caching.py) until the
user, their roles or a committee change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core.middleware import committees_of
from lvzhi.core.permissions import roles_of
from lvzhi.core.roles import Role
from lvzhi.org.models import Membership

from ..conftest import user

pytestmark = pytest.mark.django_db


def test_committees_and_roles_are_read_once_a_request(member_client):
    from django.core.cache import caches

    member_client.get(reverse("org:directory"))
    caches["local"].clear()  # this process's copies gone: the user and roles are read again, once
    with CaptureQueriesContext(connection) as ctx:
        response = member_client.get(reverse("core:home"))
    assert response.status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if "org_membership" in q["sql"]]
    assert len(reads) == 1, reads


def test_a_repeated_directory_page_reads_nothing_from_the_database(member_client):
    first = member_client.get(reverse("org:directory"))
    with CaptureQueriesContext(connection) as ctx:
        again = member_client.get(reverse("org:directory"))
    assert again.status_code == 200
    assert ctx.captured_queries == []
    assert again.content.decode().count("<li>") == first.content.decode().count("<li>") > 0


def test_a_new_role_is_seen_on_the_next_request(qiantang):
    from ..conftest import client_for

    client = client_for("xugang")
    assert client.get(reverse("org:directory")).status_code == 200
    assert client.get(reverse("org:members")).status_code == 403
    Membership.objects.create(user=user("xugang"), committee=qiantang, role=Role.STAFF_OFFICE)
    assert client.get(reverse("org:members")).status_code == 200


def test_a_removed_role_is_seen_on_the_next_request(qiantang):
    from ..conftest import client_for

    client = client_for("xugang")
    assert client.get(reverse("org:directory")).status_code == 200
    Membership.objects.filter(user=user("xugang"), committee=qiantang).delete()
    assert client.get(reverse("org:directory")).status_code in (302, 403)


def test_committees_come_most_local_first_with_their_roles(qiantang, hangzhou):
    mao = user("maoxucheng")
    committees = committees_of(mao)
    assert [c.pk for c in committees] == [qiantang.pk, hangzhou.pk]
    assert roles_of(mao, qiantang) == frozenset(
        Membership.objects.filter(user=mao, committee=qiantang).values_list("role", flat=True)
    )
    assert roles_of(mao, hangzhou)
