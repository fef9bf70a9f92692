from . import views_export, views_member, views_public, views_staff, views_unit

app_name = "consultations"
urlpatterns = [
    *views_member.urlpatterns,  # /consultations/ (member_home), /consultations/m/<id>/: a member's phone pages
    *views_export.urlpatterns,  # Excel of open recommendations, Word of an outcome report
    *views_staff.urlpatterns,  # /consultations/staff/…: plan, events, outcomes, open recommendations, supervision
    *views_unit.urlpatterns,  # /consultations/unit/… (unit_home): a department's recommendations
    *views_public.urlpatterns,  # /consultations/public/…: published outcomes with feedback, no log-in
]
