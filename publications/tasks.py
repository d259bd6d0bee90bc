from django.tasks import task

from publications.models import LanguageVersion, Publication


@task
def extract_version_text(*, version_id: int) -> None:
    from publications.services import version_extract_text

    version = LanguageVersion.objects.select_related("publication").filter(pk=version_id).first()
    if version is not None:
        version_extract_text(version=version)


@task
def index_publication(*, publication_id: int) -> None:
    from publications.services import publication_index

    publication = Publication.objects.filter(pk=publication_id).first()
    if publication is not None:
        publication_index(publication=publication)
