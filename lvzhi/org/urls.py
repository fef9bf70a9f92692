from . import views, views_lifecycle, views_member, views_structure

app_name = "org"
urlpatterns = [
    *views_structure.urlpatterns,  # staff desk, terms, sessions, sectors, parties, special committees, units
    *views.urlpatterns,  # the member roster: list, create, edit, end, import, export
    *views_lifecycle.urlpatterns,  # nomination, exit review, liaison
    *views_member.urlpatterns,  # the member's own phone pages
]
