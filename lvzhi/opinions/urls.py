from . import views_member, views_staff

app_name = "opinions"
urlpatterns = [
    *views_member.urlpatterns,  # /opinions/ (member_home): my reports, write, submit, detail with timeline
    *views_staff.urlpatterns,  # /opinions/staff/…: queue, edit, combine, issues, forward, adoption, statistics
]
