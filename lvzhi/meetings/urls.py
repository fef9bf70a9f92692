from . import views_desk, views_member, views_seats, views_staff

app_name = "meetings"
urlpatterns = [
    *views_member.urlpatterns,  # /meetings/ (member_home), my meeting, registration, QR code, leave, speech
    *views_desk.urlpatterns,  # /meetings/staff/<pk>/…: registration desk, door check-in, live count, leave
    *views_seats.urlpatterns,  # /meetings/staff/<pk>/seats/…: the seat plan, its print view and Excel
    *views_staff.urlpatterns,  # /meetings/staff/…: create, invite, agenda, groups, desk, door check-in, live count
]
