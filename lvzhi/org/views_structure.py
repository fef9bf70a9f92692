"""Staff pages of the committee's structure: terms, sessions, sectors, parties, special committees,
sub-districts with studios and contact points, handling units with their staff accounts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from lvzhi.core.decorators import requires


@requires("org.view_member_private")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "org/dashboard.html")


urlpatterns: list = [
    path("", dashboard, name="dashboard"),
]
