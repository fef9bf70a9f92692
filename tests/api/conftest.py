"""Helpers of the API tests: a client that sends a bearer token (and, if asked, a committee header)."""

import json

import pytest
from django.test import Client

from lvzhi.accounts.models import ApiToken
from tests.conftest import user


class ApiClient:
    """A test client that calls /api/v1/ as one user with a bearer token."""

    def __init__(self, username: str | None = None, *, committee=None, language: str | None = None):
        self.client = Client()
        self.headers = {}
        if username:
            self.headers["Authorization"] = f"Bearer {ApiToken.issue(user(username))}"
        if committee is not None:
            self.headers["X-Committee"] = str(getattr(committee, "pk", committee))
        if language:
            self.headers["Accept-Language"] = language

    def _call(self, method: str, path: str, data=None, **headers):
        kwargs = {"headers": {**self.headers, **headers}}
        if method in ("post", "patch", "put"):
            kwargs["content_type"] = "application/json"
            if data is not None:
                kwargs["data"] = json.dumps(data)  # any JSON value, as a real client would send it
        elif data is not None:
            kwargs["data"] = data
        return getattr(self.client, method)("/api/v1" + path, **kwargs)

    def get(self, path, data=None, **headers):
        return self._call("get", path, data, **headers)

    def post(self, path, data=None, **headers):
        return self._call("post", path, data, **headers)

    def patch(self, path, data=None, **headers):
        return self._call("patch", path, data, **headers)


def api_for(username: str | None, **kwargs) -> ApiClient:
    return ApiClient(username, **kwargs)


@pytest.fixture
def office_api(db) -> ApiClient:
    return api_for("office")


@pytest.fixture
def member_api(db) -> ApiClient:
    return api_for("zhuzheng")
