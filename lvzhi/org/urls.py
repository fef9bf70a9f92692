from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("me/", views.me, name="me"),
    path("directory/", views.directory, name="directory"),
]
