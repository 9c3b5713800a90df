from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("org/<slug:slug>/", views.organisation, name="organisation"),
    path("grupper/", views.groups, name="groups"),
    path("grupper/<slug:slug>/", views.group, name="group"),
    path("invitasjon/<str:token>/", views.group_invitation, name="group_invitation"),
]
