from django.urls import path

from academies.views import MemberContactView
from accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/profile/", views.ProfileEditView.as_view(), name="profile_edit"),
    path(
        "accounts/digest/unsubscribe/<str:token>/",
        views.DigestUnsubscribeView.as_view(),
        name="digest_unsubscribe",
    ),
    path("members/<str:username>/", views.ProfileDetailView.as_view(), name="profile"),
    path("members/<str:username>/contact/", MemberContactView.as_view(), name="contact"),
]
