"""Serving one language version of a publication, counted without slowing the download."""

import logging
from urllib.parse import urlsplit

from django.db.models import F
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from publications.metadata import visible_publications
from publications.models import LanguageVersion

logger = logging.getLogger(__name__)

PUBLIC_MAX_AGE = 60 * 60  # a published file changes rarely; a browser may keep it an hour


def _count(version: LanguageVersion) -> None:
    """One small UPDATE: atomic in the database, no read-modify-write race, no lock held."""
    LanguageVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)


def _file_missing(request, version: LanguageVersion):
    logger.error(
        "File of publication version %s is missing from storage: %s", version.pk, version.file.name
    )
    return render(
        request,
        "publications/includes/file_missing.html",
        {"publication": version.publication, "version": version},
        status=404,
    )


@require_GET
def download(request, slug, language):
    version = (
        LanguageVersion.objects.filter(
            language=language,
            publication__slug=slug,
            publication__in=visible_publications(request.user),
        )
        .select_related("publication")
        .only(
            "pk",
            "language",
            "file",
            "external_url",
            "publication__slug",
            "publication__status",
            "publication__published_at",
        )
        .first()
    )
    if version is None:
        raise Http404("No such publication or language version.")
    publication = version.publication

    if not version.file:
        if urlsplit(version.external_url).scheme not in {"http", "https"}:
            raise Http404("This language version has no file.")
        _count(version)
        response = HttpResponseRedirect(version.external_url)
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    try:
        handle = version.file.storage.open(version.file.name, "rb")
    except FileNotFoundError:
        return _file_missing(request, version)
    except OSError:
        logger.exception("Cannot open the file of publication version %s", version.pk)
        return _file_missing(request, version)

    _count(version)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{publication.slug}-{version.language}.pdf",
        content_type="application/pdf",
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if publication.is_public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
        response.headers["X-Robots-Tag"] = "noindex"
    return response
