"""Citation exports of one publication: BibTeX, RIS and CSL-JSON files."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from publications.metadata import (
    BIBTEX_CONTENT_TYPE,
    CSL_CONTENT_TYPE,
    RIS_CONTENT_TYPE,
    PublicationMetadata,
    publication_queryset,
)

# format in the URL → (builder method, content type, file extension)
FORMATS = {
    "bibtex": ("bibtex", BIBTEX_CONTENT_TYPE, "bib"),
    "ris": ("ris", RIS_CONTENT_TYPE, "ris"),
    "csl-json": ("csl_json", CSL_CONTENT_TYPE, "json"),
}


@require_GET
def citation_export(request, slug, citation_format):
    if citation_format not in FORMATS:
        raise Http404("Unknown citation format.")
    builder, content_type, extension = FORMATS[citation_format]
    publication = get_object_or_404(publication_queryset(request.user, full=False), slug=slug)
    metadata = PublicationMetadata(publication, request)
    response = HttpResponse(getattr(metadata, builder)(), content_type=content_type)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{publication.slug}.{extension}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Robots-Tag"] = "noindex"
    if publication.is_public:
        patch_cache_control(response, public=True, max_age=60 * 60)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
