from django.utils.translation import get_language
from django.views.generic import TemplateView

from publications.selectors import PAGE_SIZE, library_search


def _querystring(params, **changes) -> str:
    """params (a QueryDict) with keys replaced (a list) or removed (None), page reset."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query.setlist(key, value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


class LibrarySearchView(TemplateView):
    """The library: full-text search with facets; without a query, the newest first.

    Every state is in the URL (GET parameters), so any view of the library can be shared.
    """

    template_name = "publications/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        search = library_search(params, language=get_language())
        context.update(
            search=search,
            page_obj=search.page,
            page_range=search.page.paginator.get_elided_page_range(
                search.page.number, on_each_side=2, on_ends=1
            ),
            page_size=PAGE_SIZE,
            chips=self.chips(params, search),
            clear_url=_querystring(params, **{facet.name: None for facet in search.facets}),
            invalid_fields=[
                (search.form.fields[name].label if name in search.form.fields else "", errors)
                for name, errors in search.errors.items()
            ],
        )
        return context

    @staticmethod
    def chips(params, search):
        """One removable chip (a link without that value) per selected filter value."""
        chips = []
        for facet in search.facets:
            for option in facet.selected_options:
                if facet.multiple:
                    remaining = [
                        value for value in params.getlist(facet.name) if value != option.value
                    ]
                    url = _querystring(params, **{facet.name: remaining or None})
                else:
                    url = _querystring(params, **{facet.name: None})
                chips.append({"facet": facet.label, "label": option.label, "url": url})
        return chips
