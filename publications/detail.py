"""The publication page: metadata, downloads, citation, structured data for search engines."""

from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.generic import DetailView

from publications.cache import SEARCH_CACHE_SECONDS, cached, library_version
from publications.metadata import PublicationMetadata, publication_queryset


def publication_context(request, publication, *, preview=False) -> dict:
    """Template context of publications/publication_detail.html (also for admin previews).

    ``publication`` should come from ``publication_queryset`` so that rendering adds no query.
    """
    meta = PublicationMetadata(publication, request)
    return {
        "publication": publication,
        "meta": meta,
        "is_draft": preview or not publication.is_public,
        "preview": preview,
        "authors": meta.authors,
        "collections": list(publication.collections.all()),
        "related_publications": list(publication.related.all()),
    }


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return publication_queryset(self.request.user)

    def get_object(self, queryset=None):
        if self.request.user.is_staff:  # curators may see drafts: never from the cache
            return super().get_object(queryset)
        # Published records are the same for every reader of a language: keep the loaded
        # publication (with its prefetched relations) until the library changes.
        self.cache_key = f"{library_version()}:{get_language()}:{self.kwargs['slug']}"
        publication = cached(
            f"publication:{self.cache_key}",
            lambda: super(PublicationDetailView, self).get_object(queryset),
        )
        return publication

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(publication_context(self.request, self.object))
        if not self.request.user.is_staff:
            # The rendered page body is the same for every reader of a language, too.
            context["page_cache_key"] = self.cache_key
            context["cache_seconds"] = SEARCH_CACHE_SECONDS
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_draft"]:
            # A curator's preview: never cached on the way, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response
