from django.urls import path

from news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("feed/", feeds.NewsRssFeed(), name="feed"),
    path("feed/atom/", feeds.NewsAtomFeed(), name="feed_atom"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/calendar.ics", views.calendar_feed, name="calendar"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event"),
    path("events/<slug:slug>/event.ics", views.event_ics, name="event_ics"),
    path("<slug:slug>/", views.NewsDetailView.as_view(), name="detail"),
]
