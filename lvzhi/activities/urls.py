from . import views_member, views_reading, views_staff

app_name = "activities"
urlpatterns = [
    *views_member.urlpatterns,  # /activities/ (member_home), one activity, sign-up, check-in, report, photos
    *views_reading.urlpatterns,  # /activities/reading/ (reading_home), /activities/staff/reading/…
    *views_staff.urlpatterns,  # /activities/staff/…: list, create, edit, sign-ups, outcomes
]
