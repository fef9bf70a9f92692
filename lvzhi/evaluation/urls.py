from . import views_member, views_staff

app_name = "evaluation"
urlpatterns = [
    *views_member.urlpatterns,  # /evaluation/ (member_home: the 履职 tab), lines, record, rules, report
    *views_staff.urlpatterns,  # /evaluation/staff/…: scores, export, rules, adjustments, warnings, reports
]
