from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Organisation, OrganisationDomain, User


class OrganisationDomainInline(admin.TabularInline):
    model = OrganisationDomain
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality_number", "org_number", "county", "valid_to"]
    list_filter = ["kind", "county"]
    search_fields = ["name", "municipality_number", "org_number", "domains__domain"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["predecessors"]
    inlines = [OrganisationDomainInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "valid_from", "valid_to"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "organisation",
        "organisation_verification",
        "is_active",
    ]
    list_filter = ["organisation_verification", "is_staff", "is_active", "groups"]
    search_fields = ["email", "display_name"]
    autocomplete_fields = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profil"),
            {"fields": ["display_name", "job_title", "organisation", "organisation_verification"]},
        ),
        (_("Tilganger"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Datoer"), {"fields": ["last_login", "date_joined", "organisation_verified_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]
