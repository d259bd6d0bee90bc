from django.http import Http404


def download(request, slug, language):
    """Placeholder until downloads land."""
    raise Http404
