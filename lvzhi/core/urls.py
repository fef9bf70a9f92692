from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch_committee, name="switch_committee"),
    path("large-type/", views.large_type, name="large_type"),
    path("tab/<slug:name>/", views.tab, name="tab"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox_open"),
]
