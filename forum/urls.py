from django.urls import path

from forum import feeds, views

app_name = "forum"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification"),
    path("settings/email/", views.email_settings, name="email_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/reports/<int:pk>/resolve/", views.report_resolve, name="report_resolve"),
    path("t/<int:pk>/", views.topic_detail, name="topic_short"),
    path("t/<int:pk>-<slug:slug>/", views.topic_detail, name="topic"),
    path("t/<int:pk>/reply/", views.reply, name="reply"),
    path("t/<int:pk>/unread/", views.first_unread, name="first_unread"),
    path("t/<int:pk>/watch/", views.topic_watch, name="topic_watch"),
    path("t/<int:pk>/title/", views.topic_title, name="topic_title"),
    path("t/<int:pk>/moderate/", views.topic_moderate, name="topic_moderate"),
    path("t/<int:pk>/feed/", feeds.TopicFeed(), name="topic_feed"),
    path("p/<int:pk>/", views.post_permalink, name="post"),
    path("p/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("p/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("p/<int:pk>/revisions/", views.post_revisions, name="post_revisions"),
    path("p/<int:pk>/like/", views.post_like, name="post_like"),
    path("p/<int:pk>/bookmark/", views.post_bookmark, name="post_bookmark"),
    path("p/<int:pk>/report/", views.post_report, name="post_report"),
    path("p/<int:pk>/translate/", views.post_translate, name="post_translate"),
    path(
        "translations/<int:pk>/moderate/", views.translation_moderate, name="translation_moderate"
    ),
    path("p/<int:pk>/moderate/", views.post_moderate, name="post_moderate"),
    path("<slug:slug>/", views.category_detail, name="category"),
    path("<slug:slug>/new/", views.topic_create, name="topic_create"),
    path("<slug:slug>/watch/", views.category_watch, name="category_watch"),
    path("<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
]
