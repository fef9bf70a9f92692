"""The member's own phone pages: my profile (我的) and the member directory (委员名录)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lvzhi.core.decorators import requires


@requires("core.use")
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "org/me.html", {"tab": "me"})


@requires("org.view_directory")
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "org/directory.html", {"tab": "home"})


urlpatterns: list = [
    path("me/", me, name="me"),
    path("directory/", directory, name="directory"),
]
