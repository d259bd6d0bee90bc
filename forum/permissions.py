"""The one rule for the forum: who may read, post in and moderate a category.

Every view, list, count, search result and feed goes through these functions or through the
``readable_by`` querysets (forum/models.py), which express the same rule in SQL:

* public: everyone reads; members with a verified e-mail address post;
* cohort: the participants of any of its editions (and staff) read and post;
* staff-only: staff read and post;
* moderators (the Moderators group, or superusers) moderate what they can read;
* a sub-category is read only by those who may also read its parent, whatever its own setting
  (and it cannot be set more open than its parent: see Category.clean).
"""

from allauth.account.models import EmailAddress

from accounts.models import MODERATORS_GROUP
from forum.models import MAX_CATEGORY_DEPTH, Access, Approval, Category, Post


def _is_member(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_staff(user) -> bool:
    return _is_member(user) and (user.is_staff or user.is_superuser)


def has_verified_email(user) -> bool:
    """Cached on the user object for the request: one query at most."""
    if not _is_member(user):
        return False
    if not hasattr(user, "_forum_verified"):
        user._forum_verified = EmailAddress.objects.filter(user=user, verified=True).exists()
    return user._forum_verified


def is_moderator(user) -> bool:
    if not _is_member(user):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_forum_moderator"):
        user._forum_moderator = user.groups.filter(name=MODERATORS_GROUP).exists()
    return user._forum_moderator


def _can_read_own(user, category: Category) -> bool:
    """The category's own setting, ignoring its parents."""
    if category.access == Access.PUBLIC:
        return True
    if not _is_member(user):
        return False
    if is_staff(user):
        return True
    if category.access == Access.COHORT:
        cache = user.__dict__.setdefault("_forum_cohort_reader", {})
        if category.pk not in cache:
            cache[category.pk] = category.editions.filter(participations__user=user).exists()
        return cache[category.pk]
    return False


def _chain(category: Category):
    """The category and its ancestors, as deep as the querysets check them."""
    yield category
    for _level in range(MAX_CATEGORY_DEPTH):
        if category.parent_id is None:
            return
        category = category.parent
        yield category


def can_read(user, category: Category) -> bool:
    return all(_can_read_own(user, each) for each in _chain(category))


def readable_categories(user) -> list[Category]:
    """The categories the user may read, in index order: the rule above applied in Python to
    every category (a small table), the member's cohort spaces found in one query. The same
    answers as ``Category.objects.readable_by``, without its nested subqueries."""
    from django.db import connection

    from academies.models import Participation

    categories = list(Category.objects.order_by("order", "pk"))
    by_pk = {category.pk: category for category in categories}
    for category in categories:
        if category.parent_id in by_pk:
            category.parent = by_pk[category.parent_id]
    if _is_member(user) and not is_staff(user):
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT DISTINCT ce.category_id
                FROM {Category.editions.through._meta.db_table} ce
                JOIN {Participation._meta.db_table} p ON p.edition_id = ce.edition_id
                WHERE p.user_id = %s
                """,
                [user.pk],
            )
            cohorts = {category_id for (category_id,) in cursor.fetchall()}
        known = user.__dict__.setdefault("_forum_cohort_reader", {})
        for category in categories:
            if category.access == Access.COHORT:
                known[category.pk] = category.pk in cohorts
    return [category for category in categories if can_read(user, category)]


def can_post(user, category: Category) -> bool:
    return has_verified_email(user) and can_read(user, category)


def can_moderate(user, category: Category) -> bool:
    """Global moderators, or the category's own moderators, in what they can read."""
    if not _is_member(user) or not can_read(user, category):
        return False
    if is_moderator(user):
        return True
    cache = user.__dict__.setdefault("_forum_category_moderator", {})
    if category.pk not in cache:
        cache[category.pk] = category.moderators.filter(pk=user.pk).exists()
    return cache[category.pk]


def load_for_category(user, category: Category) -> None:
    """Answer in one query what the checks above would each ask of the database about this
    member and this category (verified address, moderator, category moderator, cohort
    reader), and keep the answers on the user object for the request.

    Written in SQL: it runs on every page a member opens, and building the same query
    through the ORM cost more than running it."""
    if not _is_member(user):
        return
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from academies.models import Participation

    cohort_cache = user.__dict__.setdefault("_forum_cohort_reader", {})
    moderator_cache = user.__dict__.setdefault("_forum_category_moderator", {})
    cohort = category.access == Access.COHORT and not is_staff(user)
    tables = {
        "address": EmailAddress._meta.db_table,
        "user_groups": get_user_model().groups.through._meta.db_table,
        "group": Group._meta.db_table,
        "category_moderators": Category.moderators.through._meta.db_table,
        "category_editions": Category.editions.through._meta.db_table,
        "participation": Participation._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              EXISTS (SELECT 1 FROM {address} WHERE user_id = %(user)s AND verified),
              EXISTS (SELECT 1 FROM {user_groups} ug JOIN {group} g ON g.id = ug.group_id
                      WHERE ug.user_id = %(user)s AND g.name = %(moderators)s),
              EXISTS (SELECT 1 FROM {category_moderators}
                      WHERE user_id = %(user)s AND category_id = %(category)s),
              %(cohort)s AND EXISTS (
                SELECT 1 FROM {participation} p
                JOIN {category_editions} ce ON ce.edition_id = p.edition_id
                WHERE p.user_id = %(user)s AND ce.category_id = %(category)s)
            """.format(**tables),
            {
                "user": user.pk,
                "moderators": MODERATORS_GROUP,
                "category": category.pk,
                "cohort": cohort,
            },
        )
        verified, moderator, category_moderator, cohort_reader = cursor.fetchone()
    user._forum_verified = verified
    if not user.is_superuser:
        user._forum_moderator = moderator
    moderator_cache[category.pk] = category_moderator
    if cohort:
        cohort_cache[category.pk] = cohort_reader


def moderates_anything(user) -> bool:
    """Global moderators and members who moderate at least one category."""
    if not _is_member(user):
        return False
    if user.is_superuser or getattr(user, "_forum_moderator", False):
        return True
    if not hasattr(user, "_forum_moderates_anything"):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import connection

        user_groups = get_user_model().groups.through._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT
                  EXISTS (SELECT 1 FROM {user_groups} ug
                          JOIN {Group._meta.db_table} g ON g.id = ug.group_id
                          WHERE ug.user_id = %(user)s AND g.name = %(moderators)s),
                  EXISTS (SELECT 1 FROM {Category.moderators.through._meta.db_table}
                          WHERE user_id = %(user)s)
                """,
                {"user": user.pk, "moderators": MODERATORS_GROUP},
            )
            moderator, category_moderator = cursor.fetchone()
        user._forum_moderator = moderator
        user._forum_moderates_anything = moderator or category_moderator
    return user._forum_moderates_anything


def can_edit_post(user, post) -> bool:
    """Authors edit and delete their own posts while they may still post in the category
    (a post waiting for approval too; a rejected one no more)."""
    return (
        _is_member(user)
        and post.author_id == user.pk
        and not post.is_deleted
        and not post.is_hidden
        and post.approval != Approval.REJECTED
        and can_post(user, post.topic.category)
    )


def can_edit_title(user, topic) -> bool:
    """The author while they may post and the topic is open; the category's moderators."""
    if not _is_member(user):
        return False
    if can_moderate(user, topic.category):
        return True
    return topic.author_id == user.pk and not topic.locked and can_post(user, topic.category)


def needs_approval(user, category: Category) -> bool:
    """Whether a post by this member in this category waits for a moderator's approval.

    The category asks for it (approve_first_posts = N > 0) and the member has fewer than N
    approved posts in the whole forum: a member known elsewhere in the forum is not held
    again in each category. Hidden posts do not count; moderators and staff are never held.
    """
    needed = category.approve_first_posts
    if not needed or is_staff(user) or can_moderate(user, category):
        return False
    approved = Post.objects.filter(author=user, approval=Approval.APPROVED, is_hidden=False)
    return len(approved.values("pk")[:needed]) < needed


def can_approve(user, post) -> bool:
    return can_moderate(user, post.topic.category)


def readers(category: Category):
    """The active members who may read the category: the same rule, as a User queryset.

    Notifications go only to them, so nobody learns of a private post through one.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = get_user_model().objects.filter(is_active=True)
    staff = Q(is_staff=True) | Q(is_superuser=True)
    for each in _chain(category):  # the readers of the parent chain too
        if each.access == Access.COHORT:
            from academies.models import Participation

            participants = Participation.objects.filter(
                edition__in=each.editions.values("pk")
            ).values("user_id")
            users = users.filter(staff | Q(pk__in=participants))
        elif each.access == Access.STAFF:
            users = users.filter(staff)
    return users
