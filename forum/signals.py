"""Changes made outside the forum's services (the admin, the shell) move the cache versions
on too (forum/cache.py), so cached pages show them at once rather than when they expire."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from forum.cache import category_changed, topic_changed
from forum.models import Category, Post, PostTranslation, Tag, Topic


@receiver([post_save, post_delete], sender=Category)
def _category_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        category_changed(instance.pk)


@receiver([post_save, post_delete], sender=Topic)
def _topic_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        topic_changed(instance.pk, instance.category_id)


# Posts and translations are never deleted one by one (a deleted post is kept, marked): they
# go with their topic, which the receiver above covers. A post_delete receiver here would
# also make deleting a long topic load every post instead of one DELETE.
@receiver(post_save, sender=Post)
def _post_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        topic_changed(instance.topic_id)


@receiver(post_save, sender=PostTranslation)
def _translation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        topic_changed(instance.post.topic_id)


@receiver(m2m_changed, sender=Topic.tags.through)
def _topic_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # tags changed from the tag's side: instance is a Tag
        for topic_id, category_id in Topic.objects.filter(pk__in=pk_set or ()).values_list(
            "pk", "category_id"
        ):
            topic_changed(topic_id, category_id)
    else:
        topic_changed(instance.pk, instance.category_id)


@receiver(post_save, sender=Tag)
@receiver(pre_delete, sender=Tag)
def _tag_changed(sender, instance, raw=False, created=False, **kwargs):
    """A renamed or removed tag shows on every topic carrying it and in their lists."""
    if raw or created:
        return
    for topic_id, category_id in instance.topics.values_list("pk", "category_id").iterator():
        topic_changed(topic_id, category_id)
