"""Staff pages of the member roster (委员管理)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
