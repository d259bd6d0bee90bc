from django.urls import path

from academies import views

app_name = "academies"
urlpatterns = [
    path("", views.EditionListView.as_view(), name="list"),
    path("participants/", views.ParticipantDirectoryView.as_view(), name="participants"),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path("<slug:slug>/", views.EditionDetailView.as_view(), name="edition"),
    path("<slug:slug>/join/", views.EditionJoinView.as_view(), name="join"),
]
