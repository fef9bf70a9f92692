from . import views_export, views_member, views_staff, views_unit

app_name = "proposals"
urlpatterns = [
    *views_member.urlpatterns,  # the member's phone pages: /proposals/ (member_home), drafts, co-signing, evaluation
    *views_staff.urlpatterns,  # /proposals/staff/…: review queue, filing, assignment, answers, key, statistics
    *views_unit.urlpatterns,  # /proposals/unit/…: a handling unit's proposals and answers
    *views_export.urlpatterns,  # Word and Excel exports
]
