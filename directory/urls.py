from django.urls import path, re_path

from directory import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("kommune/<slug:slug>/", views.organisation, name="organisation"),
    path("kommune/<slug:slug>/ny/", views.add_usage, name="add_usage"),
    path("bruk/<int:pk>/endre/", views.edit_usage, name="edit_usage"),
    path("bruk/<int:pk>/bekreft/", views.confirm_usage, name="confirm_usage"),
    path("bruk/<int:pk>/slett/", views.delete_usage, name="delete_usage"),
    path("system/ny/", views.new_system, name="new_system"),
    path("system/<slug:slug>/", views.system, name="system"),
    path("system/<slug:slug>/endre/", views.edit_system, name="edit_system"),
    path("system/<slug:slug>/vurder/", views.review_system, name="review_system"),
    path("leverandor/<slug:slug>/", views.vendor, name="vendor"),
    # A county number is two digits (as in the API): nothing else reaches the database.
    re_path(r"^fylke/(?P<number>[0-9]{2})/$", views.county_matrix, name="matrix"),
    path("sammenslaing/", views.mergers, name="mergers"),
    path("sammenslaing/<slug:slug>/", views.merger, name="merger"),
    path("apne-data/", views.open_data, name="open_data"),
    path("systemkatalog.csv", views.export_csv, name="export_csv"),
    path("systemkatalog.json", views.export_json, name="export_json"),
    path("import/", views.import_usages, name="import"),
]
