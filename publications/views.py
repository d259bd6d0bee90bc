from django.views.generic import TemplateView


class LibrarySearchView(TemplateView):
    """Placeholder until the search page lands."""

    template_name = "publications/index.html"
