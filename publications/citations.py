from django.http import Http404


def citation_export(request, slug, citation_format):
    """Placeholder until citation export lands."""
    raise Http404
