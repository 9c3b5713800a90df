from django.urls import path

from followup import views

app_name = "followup"
urlpatterns = [
    path("oppfolging/", views.overview, name="overview"),
    path("oppfolging/<int:pk>/", views.item, name="item"),
    path("t/<int:pk>/oppfolging/ny/", views.create_item, name="new_item"),
]
