from django.urls import path

from publications import citations, detail, downloads, feeds, views

app_name = "publications"
urlpatterns = [
    path("", views.LibrarySearchView.as_view(), name="index"),
    path("feed/", feeds.PublicationRssFeed(), name="feed_rss"),
    path("feed/atom/", feeds.PublicationAtomFeed(), name="feed_atom"),
    path("<slug:slug>/", detail.PublicationDetailView.as_view(), name="detail"),
    path("<slug:slug>/download/<str:language>/", downloads.download, name="download"),
    path("<slug:slug>/cite/<str:citation_format>/", citations.citation_export, name="cite"),
]
