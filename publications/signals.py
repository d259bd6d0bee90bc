"""Keep the search index and the stored files in step with every write, whichever path it
comes from."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
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


def delete_file_when_unused(storage, name: str) -> None:
    """Remove a stored file once the transaction commits, unless a version still uses it.

    Nothing is removed when the transaction rolls back: the rows that use it are back.
    """
    if not name:
        return

    def delete():
        if not LanguageVersion.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(delete)


@receiver(pre_save, sender=LanguageVersion)
def version_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note the file the row had, to remove it if this save replaces or clears it."""
    instance._stored_file_name = ""
    if raw or instance.pk is None or (update_fields is not None and "file" not in update_fields):
        return
    instance._stored_file_name = (
        LanguageVersion.objects.filter(pk=instance.pk).values_list("file", flat=True).first() or ""
    )


@receiver(post_save, sender=LanguageVersion)
def version_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    previous = getattr(instance, "_stored_file_name", "")
    if previous and previous != instance.file.name:
        delete_file_when_unused(instance.file.storage, previous)
    if raw or (update_fields and "text" in update_fields):
        return
    if instance.file and instance.extraction_status == "pending":
        transaction.on_commit(lambda: extract_version_text.enqueue(version_id=instance.pk))


@receiver(post_delete, sender=LanguageVersion)
def version_deleted(sender, instance, **kwargs):
    # Also reached for each version when its publication is deleted.
    delete_file_when_unused(instance.file.storage, instance.file.name)
    _reindex_later(instance.publication_id)
