from django.urls import path

from topics import followup_views as views

app_name = "followup"
urlpatterns = [
    path("oppfolging/", views.overview, name="overview"),
    path("oppfolging/<int:pk>/", views.item, name="item"),
    path("t/<int:pk>/oppfolging/ny/", views.create_item, name="new_item"),
]
