from django.contrib import admin

from .models import Reporter


@admin.register(Reporter)
class ReporterAdmin(admin.ModelAdmin):
    """信息员: which contact point or studio a user with the reporter role reports for."""

    list_display = ["user", "committee", "contact_point", "studio"]
    list_filter = ["committee"]
    raw_id_fields = ["user"]
