"""Writes to the forum. Counters stay exact: the topic row is locked while a post is added.

Post numbers run 1..n in each topic without gaps: a post waiting for approval takes its number
when approved, and split and merge renumber, so every page of a topic but the last is full.
"""

import re

from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.text import slugify

from collective_brain.markdown import render_markdown
from collective_brain.search import search_config
from forum.cache import category_changed, topic_changed
from forum.language import resolve_language
from forum.models import (
    Approval,
    Bookmark,
    Category,
    CategoryWatch,
    ModerationAction,
    ModerationLog,
    Notification,
    NotificationKind,
    Post,
    PostRevision,
    PostTranslation,
    Reaction,
    Report,
    ReportStatus,
    Topic,
    TopicReadState,
    TopicRevision,
    TopicWatch,
)
from forum.notify_email import enqueue_immediate

POST_RATE_LIMIT = 10  # posts (new topics included) per member…
POST_RATE_WINDOW = 60  # …per this many seconds


class RateLimited(Exception):
    pass


def check_rate_limit(user) -> None:
    """Count one more post for the member; raise RateLimited past the limit in the window."""
    key = f"forum:posts:{user.pk}"
    cache.add(key, 0, POST_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, POST_RATE_WINDOW)
        count = 1
    if count > POST_RATE_LIMIT:
        raise RateLimited


def _index(post: Post, title: str = "") -> None:
    config = search_config(post.language)
    vector = SearchVector(Value(post.body), config=config, weight="B")
    if title:
        vector = SearchVector(Value(title), config=config, weight="A") + vector
    Post.objects.filter(pk=post.pk).update(search_vector=vector)


def _add_post(topic_id: int, *, author, body: str, language: str, detected: bool = False) -> Post:
    """Within a transaction: lock the topic, number the post, update the counters."""
    topic = Topic.objects.select_for_update().get(pk=topic_id)
    now = timezone.now()
    post = Post.objects.create(
        topic=topic,
        number=topic.last_number + 1,
        author=author,
        body=body,
        body_html=render_markdown(body),
        language=language,
        language_detected=detected,
        created_at=now,
    )
    Topic.objects.filter(pk=topic.pk).update(
        last_number=F("last_number") + 1,
        post_count=F("post_count") + 1,
        last_post_at=now,
        last_post_author=author,
    )
    topic_changed(topic.pk, topic.category_id)
    return post


MENTION_RE = re.compile(r"(?<![\w@/])@([\w.+-]{1,150})")
QUOTE_RE = re.compile(r"/forum/p/(\d+)/")
MAX_MENTIONS = 20


def _notify(post: Post, topic: Topic) -> None:
    """Quotes, mentions and replies (in that order), one per recipient, only to readers."""
    from forum.permissions import readers

    author_id = post.author_id
    kinds: dict[int, str] = {}
    quoted_ids = {int(pk) for pk in QUOTE_RE.findall(post.body)}
    if quoted_ids:
        quoted_authors = Post.objects.filter(
            pk__in=list(quoted_ids)[:MAX_MENTIONS], topic=topic
        ).values_list("author_id", flat=True)
        for user_id in quoted_authors:
            kinds.setdefault(user_id, NotificationKind.QUOTE)
    names = {name.rstrip(".") for name in MENTION_RE.findall(post.body)}
    if names:
        mentioned = readers(topic.category).filter(username__in=list(names)[:MAX_MENTIONS])
        for user_id in mentioned.values_list("pk", flat=True):
            kinds.setdefault(user_id, NotificationKind.MENTION)
    watchers = readers(topic.category).filter(forum_watches__topic=topic)
    for user_id in watchers.values_list("pk", flat=True):
        kinds.setdefault(user_id, NotificationKind.REPLY)
    category_watchers = readers(topic.category).filter(
        forum_category_watches__category_id=topic.category_id
    )
    category_kind = NotificationKind.NEW_TOPIC if post.number == 1 else NotificationKind.REPLY
    for user_id in category_watchers.values_list("pk", flat=True):
        kinds.setdefault(user_id, category_kind)
    kinds.pop(author_id, None)
    created = Notification.objects.bulk_create(
        Notification(recipient_id=user_id, actor_id=author_id, kind=kind, post=post)
        for user_id, kind in kinds.items()
    )
    enqueue_immediate([notification.pk for notification in created])


def watch(*, topic: Topic, user) -> None:
    TopicWatch.objects.get_or_create(topic=topic, user=user)


def category_watch_toggle(*, category: Category, user) -> bool:
    deleted, _ = CategoryWatch.objects.filter(category=category, user=user).delete()
    if deleted:
        return False
    CategoryWatch.objects.get_or_create(category=category, user=user)
    return True


def watch_toggle(*, topic: Topic, user) -> bool:
    deleted, _ = TopicWatch.objects.filter(topic=topic, user=user).delete()
    if deleted:
        return False
    watch(topic=topic, user=user)
    return True


def mark_read(*, topic: Topic, user, number: int) -> None:
    """Remember the highest post number the member has been shown (never goes back)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TopicReadState._meta.db_table} (user_id, topic_id, last_read_number) "
            "VALUES (%s, %s, %s) ON CONFLICT (user_id, topic_id) DO UPDATE SET "
            "last_read_number = GREATEST(EXCLUDED.last_read_number, "
            f"{TopicReadState._meta.db_table}.last_read_number)",
            [user.pk, topic.pk, number],
        )


def _add_pending_post(topic: Topic, *, author, body: str, language: str, detected: bool) -> Post:
    """A post held for approval: no number, no counter, no search entry, no notification."""
    return Post.objects.create(
        topic=topic,
        number=None,
        author=author,
        body=body,
        body_html=render_markdown(body),
        language=language,
        language_detected=detected,
        approval=Approval.PENDING,
    )


def topic_create(
    *,
    category: Category,
    author,
    title: str,
    body: str,
    language: str = "",
    tags=(),
    notify=True,
) -> Topic:
    """Start a topic; its language is its first post's ("" detects it from the text).

    When the category holds a new member's posts for approval, the topic waits with its first
    post (``is_pending``) and nobody else sees it until a moderator approves it.
    """  # fmt: skip
    from forum.permissions import needs_approval

    language, detected = resolve_language(body=body, chosen=language, author=author)
    pending = needs_approval(author, category)
    with transaction.atomic():
        topic = Topic.objects.create(
            category=category, author=author, title=title, language=language, is_pending=pending
        )
        if tags:
            topic.tags.set(tags)
        if pending:
            _add_pending_post(
                topic, author=author, body=body, language=language, detected=detected
            )
        else:
            post = _add_post(
                topic.pk, author=author, body=body, language=language, detected=detected
            )
            _index(post, title)
            watch(topic=topic, user=author)
            if notify:
                _notify(post, topic)
    topic.refresh_from_db()
    return topic


def post_create(*, topic: Topic, author, body: str, language: str = "", notify=True) -> Post:
    """Add a reply: numbered and counted under the topic's row lock, indexed, notified.

    ``language`` "" detects it from the text. A reply held for approval is only stored.
    """
    from forum.permissions import needs_approval

    language, detected = resolve_language(body=body, chosen=language, author=author)
    if needs_approval(author, topic.category):
        return _add_pending_post(
            topic, author=author, body=body, language=language, detected=detected
        )
    with transaction.atomic():
        post = _add_post(topic.pk, author=author, body=body, language=language, detected=detected)
        _index(post)
        watch(topic=topic, user=author)
        if notify:
            _notify(post, topic)
    return post


def post_edit(*, post: Post, editor, body: str, language: str = "") -> Post:
    """Keep the current version as a revision, then store the new one.

    ``language`` "" detects it again from the new text; a language the author chose is kept.
    """
    language, detected = resolve_language(body=body, chosen=language, author=post.author)
    if (body, language, detected) == (post.body, post.language, post.language_detected):
        return post
    with transaction.atomic():
        if body != post.body or language != post.language:
            PostRevision.objects.create(
                post=post,
                body=post.body,
                language=post.language,
                created_at=post.edited_at or post.created_at,
                replaced_by=editor,
            )
            post.edited_at = timezone.now()
        post.body = body
        post.body_html = render_markdown(body)
        post.language = language
        post.language_detected = detected
        post.save(
            update_fields=["body", "body_html", "language", "language_detected", "edited_at"]
        )
        if post.approval == Approval.APPROVED:
            _index(post, post.topic.title if post.number == 1 else "")
        if post.is_first and post.topic.language != language:
            Topic.objects.filter(pk=post.topic_id).update(language=language)
            post.topic.language = language
        topic_changed(post.topic_id, post.topic.category_id)
    return post


def post_approve(*, post: Post, moderator) -> bool:
    """Publish a waiting post: it takes the next number (and its topic appears, if it was the
    first post); counters, search, watching and notifications happen now."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=post.topic_id)
        current = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        if current.approval != Approval.PENDING or current.is_deleted:
            return False
        now = timezone.now()
        opening = topic.is_pending
        current.number = topic.last_number + 1
        current.approval = Approval.APPROVED
        current.created_at = now
        current.save(update_fields=["number", "approval", "created_at"])
        update = {
            "last_number": current.number,
            "post_count": F("post_count") + 1,
            "last_post_at": now,
            "last_post_author": current.author,
        }
        if opening:
            update.update(is_pending=False, created_at=now)
        Topic.objects.filter(pk=topic.pk).update(**update)
        topic_changed(topic.pk, topic.category_id)
        topic.refresh_from_db()
        current.topic = topic
        _index(current, topic.title if opening else "")
        watch(topic=topic, user=current.author)
        _log(moderator, ModerationAction.APPROVE, post=current)
        _tell_author(current, moderator, NotificationKind.APPROVED)
        _notify(current, topic)
    post.number, post.approval, post.created_at = current.number, current.approval, now
    return True


def post_reject(*, post: Post, moderator, note: str = "") -> bool:
    """Refuse a waiting post: it stays unseen (its topic too, if it opened one); the author is
    told and still sees it, marked as not approved."""
    with transaction.atomic():
        rejected = Post.objects.filter(pk=post.pk, approval=Approval.PENDING).update(
            approval=Approval.REJECTED
        )
        if not rejected:
            return False
        post.approval = Approval.REJECTED
        _log(moderator, ModerationAction.REJECT, post=post, note=note)
        _tell_author(post, moderator, NotificationKind.REJECTED)
    return True


def topic_retitle(*, topic: Topic, editor, title: str) -> bool:
    """Change a topic's title: the old one is kept, the address follows (old ones redirect),
    the search entry of the first post is updated; a moderator's change is logged."""
    title = " ".join(title.split())
    if not title or title == topic.title:
        return False
    with transaction.atomic():
        old = topic.title
        TopicRevision.objects.create(topic=topic, title=old, replaced_by=editor)
        topic.title = title
        topic.slug = slugify(title)[:80] or "topic"
        topic.save(update_fields=["title", "slug"])
        topic_changed(topic.pk, topic.category_id)
        first = topic.posts.filter(number=1, approval=Approval.APPROVED).first()
        if first is not None:
            _index(first, title)
        if editor.pk != topic.author_id:
            _log(editor, ModerationAction.RETITLE, topic=topic, note=f"{old} → {title}")
            if first is not None:
                _tell_author(first, editor, NotificationKind.RETITLED)
    return True


def _set_flag(post: Post, field: str, value: bool) -> bool:
    """Flip is_deleted/is_hidden under the topic lock; keep post_count counting visible posts."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().filter(pk=post.topic_id).first()
        current = Post.objects.select_for_update().get(pk=post.pk)
        if getattr(current, field) == value:
            return False
        topic_changed(post.topic_id, topic.category_id)
        was_visible = current.is_visible
        setattr(current, field, value)
        current.save(update_fields=[field])
        if was_visible and not current.is_visible:
            Topic.objects.filter(pk=post.topic_id).update(post_count=F("post_count") - 1)
        elif current.is_visible and not was_visible:
            Topic.objects.filter(pk=post.topic_id).update(post_count=F("post_count") + 1)
        setattr(post, field, value)
        return True


def post_delete(*, post: Post) -> None:
    """Soft delete: the text stays stored, moderators can restore it."""
    _set_flag(post, "is_deleted", True)


def _log(moderator, action, *, topic=None, post=None, note=""):
    ModerationLog.objects.create(
        moderator=moderator, action=action, topic=topic or (post.topic if post else None),
        post=post, note=note[:500],
    )  # fmt: skip


def _tell_author(post: Post, moderator, kind: str) -> None:
    if post.author_id != moderator.pk:
        notification = Notification.objects.create(
            recipient_id=post.author_id, actor=moderator, kind=kind, post=post
        )
        enqueue_immediate([notification.pk])


def post_restore(*, post: Post, moderator) -> None:
    if _set_flag(post, "is_deleted", False):
        _log(moderator, ModerationAction.RESTORE, post=post)
        _tell_author(post, moderator, NotificationKind.RESTORED)


def post_set_hidden(*, post: Post, moderator, hidden: bool) -> None:
    if _set_flag(post, "is_hidden", hidden):
        _log(moderator, ModerationAction.HIDE if hidden else ModerationAction.UNHIDE, post=post)
        kind = NotificationKind.HIDDEN if hidden else NotificationKind.UNHIDDEN
        _tell_author(post, moderator, kind)


def _tell_authors(posts, moderator, kind: str) -> None:
    """One notification per author of ``posts`` (on their first one), the moderator aside."""
    first_post = {}
    for post in posts:
        if post.approval == Approval.APPROVED and post.author_id != moderator.pk:
            first_post.setdefault(post.author_id, post)
    created = Notification.objects.bulk_create(
        Notification(recipient_id=author_id, actor=moderator, kind=kind, post=post)
        for author_id, post in first_post.items()
    )
    enqueue_immediate([notification.pk for notification in created])


def _tell_topic_author(topic: Topic, moderator, kind: str) -> None:
    """Notify the author of a topic through its first post (notifications point at posts)."""
    first = topic.posts.filter(number=1, approval=Approval.APPROVED).first()
    if first is not None:
        _tell_author(first, moderator, kind)


def topic_set_pinned(*, topic: Topic, moderator, pinned: bool) -> None:
    if Topic.objects.filter(pk=topic.pk).exclude(pinned=pinned).update(pinned=pinned):
        topic_changed(topic.pk, topic.category_id)
        _log(moderator, ModerationAction.PIN if pinned else ModerationAction.UNPIN, topic=topic)
        kind = NotificationKind.PINNED if pinned else NotificationKind.UNPINNED
        _tell_topic_author(topic, moderator, kind)
    topic.pinned = pinned


def topic_set_locked(*, topic: Topic, moderator, locked: bool) -> None:
    if Topic.objects.filter(pk=topic.pk).exclude(locked=locked).update(locked=locked):
        topic_changed(topic.pk, topic.category_id)
        _log(moderator, ModerationAction.LOCK if locked else ModerationAction.UNLOCK, topic=topic)
        kind = NotificationKind.LOCKED if locked else NotificationKind.UNLOCKED
        _tell_topic_author(topic, moderator, kind)
    topic.locked = locked


def topic_move(*, topic: Topic, moderator, category: Category) -> None:
    if topic.category_id == category.pk:
        return
    note = f"{topic.category.slug} → {category.slug}"
    Topic.objects.filter(pk=topic.pk).update(category=category)
    topic_changed(topic.pk, category.pk)
    category_changed(topic.category_id)
    topic.category = category
    _log(moderator, ModerationAction.MOVE, topic=topic, note=note)
    _tell_topic_author(topic, moderator, NotificationKind.MOVED)


def reaction_toggle(*, post: Post, user) -> bool:
    """Like or unlike; returns whether the member now likes the post."""
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") - 1)
            topic_changed(post.topic_id)
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user)
        except IntegrityError:  # a concurrent double click
            return True
        Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
        topic_changed(post.topic_id)
        return True


def bookmark_toggle(*, post: Post, user) -> bool:
    deleted, _ = Bookmark.objects.filter(post=post, user=user).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(post=post, user=user)
    return True


def report_create(*, post: Post, reporter, reason: str) -> Report:
    return Report.objects.create(post=post, reporter=reporter, reason=reason)


def report_resolve(*, report: Report, moderator) -> None:
    if report.status == ReportStatus.RESOLVED:
        return
    report.status = ReportStatus.RESOLVED
    report.resolved_by = moderator
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at"])
    _log(moderator, ModerationAction.RESOLVE, post=report.post)


def translation_save(*, post: Post, translator, language: str, body: str) -> PostTranslation:
    """Create the translation, or update it when the same member translated it before."""
    translation = PostTranslation.objects.filter(post=post, language=language).first()
    if translation is None:
        translation = PostTranslation.objects.create(
            post=post,
            language=language,
            body=body,
            body_html=render_markdown(body),
            translator=translator,
        )
    else:
        translation.body = body
        translation.body_html = render_markdown(body)
        translation.edited_at = timezone.now()
        translation.save(update_fields=["body", "body_html", "edited_at"])
    topic_changed(post.topic_id)
    return translation


def translation_set_hidden(*, translation: PostTranslation, moderator, hidden: bool) -> None:
    if translation.is_hidden != hidden:
        translation.is_hidden = hidden
        translation.save(update_fields=["is_hidden"])
        topic_changed(translation.post.topic_id)
        action = ModerationAction.HIDE if hidden else ModerationAction.UNHIDE
        _log(moderator, action, post=translation.post, note=f"translation {translation.language}")


def _recount(topic_id: int) -> None:
    """Recompute a topic's counters from its posts (after posts moved in or out)."""
    posts = Post.objects.filter(topic_id=topic_id, approval=Approval.APPROVED)
    visible = posts.filter(is_deleted=False, is_hidden=False).count()
    last = posts.order_by("-created_at", "-pk").first()
    highest = (
        posts.filter(number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
        or 0
    )
    update = {"post_count": visible, "last_number": highest}
    if last is not None:
        update.update(last_post_at=last.created_at, last_post_author_id=last.author_id)
    Topic.objects.filter(pk=topic_id).update(**update)


_POST = Post._meta.db_table
_READ = TopicReadState._meta.db_table


def _renumber(topic_id: int) -> None:
    """Number a topic's posts 1..n in their order, without gaps, and move read marks along.

    Permalinks (/forum/p/<id>/) do not change; pages are computed from numbers, so after a
    split or a merge every page but the last holds POSTS_PER_PAGE posts again.
    """
    numbered = Post.objects.filter(topic_id=topic_id, number__isnull=False)
    stats = numbered.aggregate(count=models.Count("pk"), highest=models.Max("number"))
    if not stats["count"] or stats["count"] == stats["highest"]:
        return  # already 1..n
    with connection.cursor() as cursor:
        # A mark after post number m becomes the count of posts numbered up to m.
        cursor.execute(
            f"UPDATE {_READ} rs SET last_read_number = (SELECT count(*) FROM {_POST} p "
            "WHERE p.topic_id = rs.topic_id AND p.number <= rs.last_read_number) "
            "WHERE rs.topic_id = %s",
            [topic_id],
        )
        # Above the highest number first, so the unique (topic, number) pair never collides.
        cursor.execute(
            f"UPDATE {_POST} SET number = number + %s WHERE topic_id = %s AND number IS NOT NULL",
            [stats["highest"], topic_id],
        )
        cursor.execute(
            f"UPDATE {_POST} p SET number = r.position FROM (SELECT id, row_number() OVER "
            f"(ORDER BY number) AS position FROM {_POST} WHERE topic_id = %s "
            "AND number IS NOT NULL) r WHERE p.id = r.id",
            [topic_id],
        )


def topic_merge(*, source: Topic, target: Topic, moderator) -> Topic:
    """Append the source topic's posts to the target (permalinks keep working), drop the source.

    Members who had read the whole target keep their place, moved on past the posts of the
    source they had read; waiting posts move along, still waiting.
    """
    if source.pk == target.pk:
        raise ValueError("A topic cannot be merged into itself.")
    with transaction.atomic():
        locked = {
            t.pk: t
            for t in Topic.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
        }  # fmt: skip
        start = locked[target.pk].last_number
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_READ} t SET last_read_number = %s + (SELECT count(*) FROM {_POST} p "
                "WHERE p.topic_id = s.topic_id AND p.number <= s.last_read_number) "
                f"FROM {_READ} s WHERE t.topic_id = %s AND s.topic_id = %s "
                "AND s.user_id = t.user_id AND t.last_read_number >= %s",
                [start, target.pk, source.pk, start],
            )
        moved = list(
            Post.objects.filter(topic_id=source.pk, number__isnull=False).order_by("number")
        )
        for offset, post in enumerate(moved, start=1):
            post.topic_id = target.pk
            post.number = start + offset
        Post.objects.bulk_update(moved, ["topic", "number"])
        Post.objects.filter(topic_id=source.pk).update(topic_id=target.pk)  # waiting ones
        _renumber(target.pk)
        watchers = TopicWatch.objects.filter(topic_id=source.pk).values_list("user_id", flat=True)
        TopicWatch.objects.bulk_create(
            [TopicWatch(topic_id=target.pk, user_id=user_id) for user_id in watchers],
            ignore_conflicts=True,
        )
        _recount(target.pk)
        topic_changed(target.pk, locked[target.pk].category_id)
        topic_changed(source.pk, locked[source.pk].category_id)
        _log(moderator, ModerationAction.MERGE, topic=target, note=source.title)
        _tell_authors(moved[:1], moderator, NotificationKind.MERGED)
        Topic.objects.filter(pk=source.pk).delete()
    target.refresh_from_db()
    return target


def topic_split(*, topic: Topic, first: int, last: int, title: str, moderator) -> Topic:
    """Move posts numbered first..last into a new topic in the same category."""
    with transaction.atomic():
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        moved = list(
            Post.objects.filter(topic=topic, number__gte=max(first, 2), number__lte=last)
            .select_related("author")
            .order_by("number")
        )
        if not moved:
            raise ValueError("No posts to split off.")
        new = Topic.objects.create(
            category_id=topic.category_id,
            author=moved[0].author,
            title=title,
            language=moved[0].language,
            created_at=moved[0].created_at,
        )
        with connection.cursor() as cursor:
            # Readers of the moved posts keep them as read in the new topic.
            cursor.execute(
                f"INSERT INTO {_READ} (user_id, topic_id, last_read_number) "
                f"SELECT rs.user_id, %s, (SELECT count(*) FROM {_POST} p WHERE p.id = ANY(%s) "
                "AND p.number <= rs.last_read_number) "
                f"FROM {_READ} rs WHERE rs.topic_id = %s AND rs.last_read_number >= %s",
                [new.pk, [post.pk for post in moved], topic.pk, moved[0].number],
            )
        for number, post in enumerate(moved, start=1):
            post.topic = new
            post.number = number
        Post.objects.bulk_update(moved, ["topic", "number"])
        _index(moved[0], title)
        _renumber(topic.pk)
        _recount(topic.pk)
        _recount(new.pk)
        topic_changed(topic.pk, topic.category_id)
        _log(moderator, ModerationAction.SPLIT, topic=new, note=topic.title)
        _tell_authors(moved, moderator, NotificationKind.SPLIT)
    new.refresh_from_db()
    return new
