from django.contrib import admin

from api.models import ApiToken, ApiWriteLog, WebhookDelivery, WebhookEndpoint


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


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Registered on the members' page (the address checked there); here to look and switch
    off. The secret is not shown."""

    list_display = [
        "url",
        "organisation",
        "created_by",
        "is_active",
        "failure_count",
        "disabled_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["url", "organisation__name", "created_by__email"]
    list_select_related = ["organisation", "created_by"]
    fields = ["url", "organisation", "created_by", "events", "is_active", "failure_count"]
    readonly_fields = ["url", "organisation", "created_by", "events", "failure_count"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "endpoint", "event", "status", "attempts", "last_status_code"]
    list_filter = ["status", "event"]
    list_select_related = ["endpoint"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
