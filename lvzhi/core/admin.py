from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail, read-only."""

    list_display = ["created_at", "committee", "action", "from_state", "to_state", "actor"]
    list_filter = ["committee", "action"]
    search_fields = ["action", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
