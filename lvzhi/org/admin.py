"""The platform operator's admin (/admin/, superusers only): onboarding committees and their first staff
accounts. Everything inside a committee is done in the product's own pages, which record events."""

from django.contrib import admin

from .models import Committee, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ["user"]
    fields = ["user", "role", "handling_unit"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_formsets_with_inlines(self, request, obj=None):
        # Roles are granted on an existing committee; a new committee is saved first.
        if obj is None:
            return
        yield from super().get_formsets_with_inlines(request, obj)
