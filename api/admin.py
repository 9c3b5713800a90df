from django.contrib import admin

from api.models import ApiToken, ApiWriteLog


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "scopes",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    # The hash is useless to read and must not be edited; tokens are made by their owners.
    readonly_fields = ["user", "name", "prefix", "scopes", "created_at", "last_used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ApiWriteLog)
class ApiWriteLogAdmin(admin.ModelAdmin):
    """What each token wrote: read only, kept as it happened."""

    list_display = ["created_at", "token", "operation", "method", "path", "status", "replayed"]
    list_filter = ["operation", "status", "replayed"]
    search_fields = ["path", "token__name", "token__prefix", "token__user__email"]
    list_select_related = ["token"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
