from django.urls import path

from . import views, views_lifecycle, views_member, views_structure

app_name = "org"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("me/", views.me, name="me"),
    path("directory/", views.directory, name="directory"),
    *views_structure.urlpatterns,  # terms, sessions, sectors, parties, special committees, sub-districts, units
    *views_lifecycle.urlpatterns,  # nomination, exit review, liaison
    *views_member.urlpatterns,  # the member's own phone pages
]
