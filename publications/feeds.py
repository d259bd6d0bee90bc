from django.http import Http404


class _PlaceholderFeed:
    def __call__(self, request, *args, **kwargs):
        raise Http404


class PublicationRssFeed(_PlaceholderFeed):
    pass


class PublicationAtomFeed(_PlaceholderFeed):
    pass
