from django.http import Http404


def oai_pmh(request):
    """Placeholder until the OAI-PMH endpoint lands."""
    raise Http404
