from django.contrib import admin

from topics.models import Category, Post, Topic


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "author", "kind", "reply_count", "is_pinned", "is_locked"]
    list_filter = ["category", "kind", "is_pinned", "is_locked"]
    search_fields = ["title"]
    raw_id_fields = ["author", "last_poster"]
    # Counters and posts are kept exact by the actions; the admin only reads them.
    readonly_fields = ["reply_count", "last_activity_at", "last_poster", "created_at"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["topic", "position", "author", "created_at", "is_hidden"]
    # Read-only: edits, hiding and moving go through the actions (revisions, moderation log,
    # search index and page cache), which the moderators' pages call.
    readonly_fields = [
        "topic",
        "author",
        "position",
        "body",
        "body_html",
        "created_at",
        "edited_at",
        "edited_by",
        "is_hidden",
        "hidden_reason",
        "hidden_by",
        "hidden_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
