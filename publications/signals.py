"""Keep the search index in step with every write, whichever path it comes from."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from publications.cache import library_changed
from publications.models import Authorship, LanguageVersion, Publication
from publications.tasks import extract_version_text, index_publication


def _reindex_later(publication_id: int) -> None:
    library_changed()
    transaction.on_commit(lambda: index_publication.enqueue(publication_id=publication_id))


@receiver(post_save, sender=Publication)
def publication_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _reindex_later(instance.pk)


@receiver(m2m_changed, sender=Publication.themes.through)
@receiver(m2m_changed, sender=Publication.collections.through)
def publication_relations_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, Publication):
        _reindex_later(instance.pk)


@receiver(post_save, sender=Authorship)
@receiver(post_delete, sender=Authorship)
def authorship_changed(sender, instance, **kwargs):
    _reindex_later(instance.publication_id)


@receiver(post_save, sender=LanguageVersion)
def version_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and "text" in update_fields):
        return
    if instance.file and instance.extraction_status == "pending":
        transaction.on_commit(lambda: extract_version_text.enqueue(version_id=instance.pk))


@receiver(post_delete, sender=LanguageVersion)
def version_deleted(sender, instance, **kwargs):
    _reindex_later(instance.publication_id)
