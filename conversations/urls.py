from django.urls import path

from conversations import views

app_name = "conversations"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/unread/", views.first_unread, name="first_unread"),
    path("<int:pk>/members/", views.add_members, name="add_members"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("m/<int:pk>/", views.message_permalink, name="message"),
    path("m/<int:pk>/report/", views.report, name="report"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("moderation/reports/<int:pk>/act/", views.report_act, name="report_act"),
]
