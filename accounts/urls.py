from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/profile/", views.ProfileEditView.as_view(), name="profile_edit"),
    path("members/<str:username>/", views.ProfileDetailView.as_view(), name="profile"),
]
