from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lvzhi.core.decorators import requires


@requires("org.view_member_private")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "org/dashboard.html")


@requires("core.use")
def me(request: HttpRequest) -> HttpResponse:
    return render(request, "org/me.html", {"tab": "me"})


@requires("org.view_directory")
def directory(request: HttpRequest) -> HttpResponse:
    return render(request, "org/directory.html", {"tab": "home"})
