from django.urls import path

from academies import views

app_name = "academies"
urlpatterns = [
    path("", views.EditionListView.as_view(), name="list"),
    path("<slug:slug>/", views.EditionDetailView.as_view(), name="edition"),
]
