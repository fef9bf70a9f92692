"""What a logged-in page costs before the view runs: the session, the user, and ONE query for the
user's committees and roles (shared by the middleware, the decorator's perm check and the templates)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lvzhi.core.middleware import committees_of
from lvzhi.core.permissions import roles_of
from lvzhi.org.models import Membership

from ..conftest import user

pytestmark = pytest.mark.django_db


def test_committees_and_roles_are_read_once_a_request(member_client):
    member_client.get(reverse("org:directory"))
    with CaptureQueriesContext(connection) as ctx:
        response = member_client.get(reverse("org:directory"))
    assert response.status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if "org_membership" in q["sql"]]
    assert len(reads) == 1, reads


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
