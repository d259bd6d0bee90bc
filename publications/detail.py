from django.http import Http404
from django.views.generic import View


class PublicationDetailView(View):
    """Placeholder until the publication page lands."""

    def get(self, request, *args, **kwargs):
        raise Http404
