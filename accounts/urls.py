from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profil/", views.profile, name="profile"),
    path("profil/bilde/", views.profile_picture, name="profile_picture"),
    path("profilbilde/<int:pk>/<slug:key>.webp", views.avatar, name="avatar"),
    path("profil/mine-data/", views.my_data, name="my_data"),
    path("profil/mine-data/eksport.json", views.export_data, name="export_data"),
    path("profil/slett/", views.delete_account, name="delete_account"),
    path("personvern/", views.privacy, name="privacy"),
    path("org/<slug:slug>/", views.organisation, name="organisation"),
    path("org/<slug:slug>/tenanter/", views.organisation_tenants, name="organisation_tenants"),
    path("grupper/", views.groups, name="groups"),
    path("grupper/<slug:slug>/", views.group, name="group"),
    path("invitasjon/<str:token>/", views.group_invitation, name="group_invitation"),
]
