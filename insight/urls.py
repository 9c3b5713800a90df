from django.urls import path

from insight import views

app_name = "insight"
urlpatterns = [
    path("status/", views.overview, name="overview"),
    path("status/aktivitet/", views.activity, name="activity"),
    path("status/kommune/<slug:key>/", views.municipality, name="municipality"),
    path("moderering/rapporter/", views.moderator_reports, name="reports"),
    path("moderering/rapporter/<slug:slug>.csv", views.moderator_report_csv, name="report_csv"),
]
