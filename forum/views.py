"""Forum pages. Each one reads through the permission rule (forum/permissions.py) and the
``readable_by`` querysets, and runs a constant number of queries whatever the rows shown.

A private topic answers 404 to those who may not read it (its existence is not revealed);
acting on someone else's post answers 403.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import (
    Prefetch,
    Q,
)
from django.http import Http404, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import SPOKEN_LANGUAGES, DirectoryVisibility
from collective_brain.markdown import render_markdown
from forum import cache as forum_cache
from forum import permissions, selectors, services
from forum.forms import (
    DETECT,
    EmailPreferenceForm,
    MergeForm,
    MoveForm,
    PostForm,
    ReportForm,
    SearchForm,
    SplitForm,
    TitleForm,
    TopicForm,
    TranslationForm,
)
from forum.language import detect_language
from forum.models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Approval,
    Bookmark,
    Category,
    EmailMode,
    EmailPreference,
    ModerationLog,
    Notification,
    Post,
    PostTranslation,
    Report,
    ReportStatus,
    Tag,
    Topic,
    TopicReadState,
)

LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)
SEARCH_PAGE_SIZE = 20


def _forbidden(request, message, status=403):
    return render(request, "forum/forbidden.html", {"message": message}, status=status)


def _rate_limited(request):
    return _forbidden(
        request,
        _("You are posting too fast: wait a minute, then send your message again."),
        status=429,
    )


PENDING_SHOWN = 20  # waiting posts listed on a topic page (the queue has them all)
# Stands for the CSRF token in cached members' fragments; each response gets its own token.
CSRF_PLACEHOLDER = "csrf-token-placeholder-9f2c"


def _readable_topic(user, pk):
    """A topic the user may read; one waiting for approval only for its author and the
    category's moderators (404 for everybody else, as if it did not exist)."""
    # The topic with its category chain, then the permission rule in Python on those rows
    # (answers kept on the user for the rest of the request): cheaper than the same rule
    # written into the query, and the checks that follow ask the database nothing more.
    topic = get_object_or_404(
        Topic.objects.select_related(
            "category", "category__parent", "category__parent__parent", "author"
        ),
        pk=pk,
    )
    if user.is_authenticated:
        permissions.load_for_category(user, topic.category)
    if not permissions.can_read(user, topic.category):
        raise Http404
    if topic.is_pending and not (
        topic.author_id == user.pk or permissions.can_moderate(user, topic.category)
    ):
        raise Http404
    return topic


def _readable_post(user, pk):
    """Any post of a readable topic (hidden or deleted ones too: pages show a placeholder);
    a waiting or rejected one only for its author and the category's moderators."""
    post = get_object_or_404(
        Post.objects.filter(
            topic__in=Topic.objects.readable_by(user, include_pending=True).values("pk")
        ).select_related(
            "topic",
            "topic__category",
            "topic__category__parent",
            "topic__category__parent__parent",
            "author",
        ),
        pk=pk,
    )
    hidden_from_others = post.approval != Approval.APPROVED or post.topic.is_pending
    if hidden_from_others and not (
        post.author_id == user.pk or permissions.can_moderate(user, post.topic.category)
    ):
        raise Http404
    return post


def post_url(post) -> str:
    url = post.topic.get_absolute_url()
    if post.page_number > 1:
        url += f"?page={post.page_number}"
    return f"{url}#{post.anchor}"


class NumberedPage:
    """A page of a topic, fetched by post number: the last page costs what the first does."""

    def __init__(self, number, num_pages, object_list):
        self.number = number
        self.num_pages = num_pages
        self.object_list = object_list
        self.paginator = self  # templates read page_obj.paginator.num_pages

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def has_other_pages(self):
        return self.num_pages > 1

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def _page_number(request, num_pages):
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


# Index, category, topic


def index(request):
    categories = permissions.readable_categories(request.user)
    selectors.category_stats(categories)  # totals from the topics' stored counters
    tree = _category_tree(categories)
    # The table is the same for everyone who may read the same categories.
    table = forum_cache.categories_fragment(
        [c.pk for c in categories],
        lambda: render_to_string("forum/includes/category_table.html", {"categories": tree}),
    )
    return render(
        request,
        "forum/index.html",
        {
            "categories": tree,
            "category_table": mark_safe(table),  # noqa: S308 - rendered by our template
            "is_moderator": permissions.moderates_anything(request.user),
        },
    )


def _category_tree(categories):
    """The top-level categories, each with its sub-categories (in ``subcategories``)."""
    by_pk = {category.pk: category for category in categories}
    for category in categories:
        category.subcategories = []
    top_level = []
    for category in categories:
        parent = by_pk.get(category.parent_id)
        if parent is not None:
            parent.subcategories.append(category)
        else:
            top_level.append(category)
    return top_level


def _readable_notifications(user):
    """Notifications about posts the member may still read (a hidden post shows as such)."""
    readable = Post.objects.readable_by(user, include_hidden=True).values("pk")
    return Notification.objects.filter(recipient=user, post__in=readable)


def unread_notification_count(user, *, any_unread: bool | None = None) -> int:
    """Unread notifications about posts the member may still read. ``any_unread``: whether
    the member has any unread notification at all, when the caller knows already."""
    if not user.is_authenticated:
        return 0
    # Most pages are seen with nothing unread: a plain indexed check first, and the count
    # through the permission rule only when there is something to count.
    # Kept on the user for the request: the forum index and the site header both show it.
    if not hasattr(user, "_forum_unread_notifications"):
        if any_unread is None:
            any_unread = Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
        user._forum_unread_notifications = (
            _readable_notifications(user).filter(read_at__isnull=True).count() if any_unread else 0
        )
    return user._forum_unread_notifications


def _topic_urls(topics) -> None:
    """Each topic's address, from one reversed URL rather than one reverse() per topic."""
    prefix = reverse("forum:topic", kwargs={"pk": 0, "slug": "topic"})[: -len("0-topic/")]
    for topic in topics:
        topic.url = f"{prefix}{topic.pk}-{topic.slug or 'topic'}/"


def _list_page_number(request) -> int:
    """The page asked for; junk gives the first (the paginator gives the last page for
    numbers past it)."""
    try:
        return max(1, int(request.GET.get("page", 1)))
    except (TypeError, ValueError):
        return 1


def _set_unread(topics, read: dict) -> None:
    """Each topic's new posts for a member (``read``: topic id → last post number read);
    none for visitors (set for them too: a missing attribute costs templates)."""
    for topic in topics:
        topic.last_read = read.get(topic.pk)
        topic.new_posts = (
            max(0, topic.last_number - topic.last_read) if topic.last_read is not None else 0
        )


def category_detail(request, slug):
    # As for topics (_readable_topic): the row with its parents, then the rule in Python,
    # its answers kept for the request (can_post below asks nothing more).
    category = get_object_or_404(
        Category.objects.select_related("parent", "parent__parent"), slug=slug
    )
    if request.user.is_authenticated:
        permissions.load_for_category(request.user, category)
    if not permissions.can_read(request.user, category):
        raise Http404
    topics = (
        category.topics.filter(is_pending=False)
        .select_related("author", "last_post_author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("slug")))
        .order_by("-pinned", "-last_post_at", "-pk")
    )
    language = request.GET.get("language", "")
    mine = list(getattr(request.user, "languages_spoken", None) or [])
    if language == "mine" and mine:
        topics = topics.filter(language__in=mine)
    elif language in LANGUAGE_NAMES:
        topics = topics.filter(language=language)
    else:
        language = ""
    context = {
        "category": category,
        "language": language,
        "page_query": urlencode({"language": language}) if language else "",
        "language_label": _("Language"),
        "my_languages": mine,
    }
    # The list is rendered once for everyone who sees it alike (forum/cache.py): visitors
    # share one copy; members share it with those who read the page's topics as far as they
    # did. Kept a minute at most for its relative times ("5 minutes ago").
    number = _list_page_number(request)
    page, read = None, {}
    if request.user.is_authenticated:
        page = selectors.topic_ids_page(topics, number, TOPICS_PER_PAGE)
        read = dict(
            TopicReadState.objects.filter(
                user=request.user, topic__in=page.object_list
            ).values_list("topic_id", "last_read_number")
        )

    def render_list():
        listed = (
            page if page is not None else selectors.topic_ids_page(topics, number, TOPICS_PER_PAGE)
        )
        listed.object_list = selectors.topic_rows(topics, listed.object_list)
        _topic_urls(listed.object_list)
        _set_unread(listed.object_list, read)
        return {
            "html": render_to_string(
                "forum/includes/topic_list.html",
                {**context, "page_obj": listed, "topics": listed.object_list},
            ),
            "languages": selectors.category_languages(category),
        }

    cached = forum_cache.fragment(
        "category",
        category.pk,
        [
            language,
            ",".join(mine) if language == "mine" else "",
            number,
            forum_cache.digest(sorted(read.items())),
        ],
        render_list,
        timeout=forum_cache.LIST_SECONDS,
    )
    context["topics_html"] = mark_safe(cached["html"])  # noqa: S308 - our template
    codes = cached["languages"]
    if not request.user.is_authenticated:  # so the category is public (can_read above)
        context.update(can_post=False, my_pending=[], watching=False)
    else:
        watching, has_pending = selectors.member_category_state(category, request.user)
        # The member's own topics waiting for approval: only they see them listed.
        context["my_pending"] = (
            list(
                category.topics.filter(is_pending=True, author=request.user).order_by(
                    "-created_at", "-pk"
                )[:PENDING_SHOWN]
            )
            if has_pending
            else []
        )
        context["can_post"] = permissions.can_post(request.user, category)
        context["watching"] = watching
    context["languages"] = [(code, LANGUAGE_NAMES.get(code, code)) for code in codes]
    return render(request, "forum/category.html", context)


@require_POST
@login_required
def category_watch(request, slug):
    category = get_object_or_404(Category.objects.readable_by(request.user), slug=slug)
    services.category_watch_toggle(category=category, user=request.user)
    return redirect(category.get_absolute_url())


def _page_posts(topic, number):
    """The approved posts of one page of a topic, by number (see NumberedPage)."""
    start = (number - 1) * POSTS_PER_PAGE
    # The LIMIT lets the planner walk the (topic, number) index from the page's first number:
    # without it, it guesses most of a long topic's posts fall in range and scans them all.
    return list(
        topic.posts.filter(number__gt=start, number__lte=start + POSTS_PER_PAGE)
        .select_related("author")
        .order_by("number")[:POSTS_PER_PAGE]
    )


def _visible_author_ids(user, authors) -> set[int]:
    """Which of ``authors`` ((pk, is_active, directory visibility) triples) the reader may
    see the profile of (User.objects.visible_to). Profiles open to everyone, or to every
    member for a signed-in reader, are decided from the rows at hand; one query asks about
    the others."""
    open_to = {DirectoryVisibility.EVERYONE}
    if user.is_authenticated:
        open_to.add(DirectoryVisibility.MEMBERS)
    visible, undecided = set(), set()
    for pk, is_active, visibility in authors:
        if is_active and (visibility in open_to or pk == user.pk):
            visible.add(pk)
        elif is_active and user.is_authenticated:
            undecided.add(pk)
    if undecided:
        visible |= set(
            get_user_model()
            .objects.visible_to(user)
            .filter(pk__in=undecided)
            .values_list("pk", flat=True)
        )
    return visible


def _prepare_posts(posts, user, reader_language, visible_authors=None):
    """What the post list shows that depends only on the reader's language and on who may
    see which profile: translations, author names and links, permalinks (two queries; one
    when the visible authors are given)."""
    translations = {}
    foreign = [post.pk for post in posts if post.language != reader_language]
    if foreign:
        translations = {
            t.post_id: t
            for t in PostTranslation.objects.filter(
                post_id__in=foreign, language=reader_language, is_hidden=False
            ).select_related("translator")
        }
    if visible_authors is None:
        visible_authors = _visible_author_ids(
            user,
            {(p.author.pk, p.author.is_active, p.author.directory_visibility) for p in posts},
        )
    # Links built from one reversed URL each, not one reverse() per post and link.
    post_prefix = reverse("forum:post", kwargs={"pk": 0})[: -len("0/")]
    author_urls = {}
    for post in posts:
        post.url = f"{post_prefix}{post.pk}/"
        post.author_name = post.author.get_display_name()
        if post.author_id in visible_authors:
            if post.author_id not in author_urls:
                author_urls[post.author_id] = post.author.get_absolute_url()
            post.author_url = author_urls[post.author_id]
        else:
            post.author_url = ""
        post.translation = translations.get(post.pk) if post.language != reader_language else None
        post.liked = post.bookmarked = post.mine = post.can_edit = False


def _post_labels():
    return {
        "like": _("Like"),
        "unlike": _("Unlike"),
        "quote": _("Quote"),
        "bookmark": _("Bookmark"),
        "unbookmark": _("Remove bookmark"),
        "report": _("Report"),
        "translate": _("Translate"),
        "edit": _("Edit"),
        "delete": _("Delete"),
    }


def _tag_badges(topic) -> str:
    return format_html_join(
        "", '<span class="badge">{}</span>', ((tag.name,) for tag in topic.tags.order_by("slug"))
    )


def _reply_fields(request) -> str:
    """The empty reply form's fields, the same for every member (but for the CSRF token)."""
    html = forum_cache.blank_form(
        "reply",
        lambda: render_to_string(
            "forum/includes/post_form_fields.html",
            {
                "form": PostForm(),
                "submit_label": _("Post the reply"),
                "csrf_token": CSRF_PLACEHOLDER,
            },
        ),
    )
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308


def topic_detail(request, pk, slug=None):
    topic = _readable_topic(request.user, pk)
    if slug != topic.slug:
        url = topic.get_absolute_url()
        if request.GET.get("page"):
            url += "?" + urlencode({"page": request.GET["page"]})
        return redirect(url, permanent=True)
    user = request.user
    category = topic.category
    number = _page_number(request, topic.num_pages)
    reader_language = get_language() or "en"
    signed_in = user.is_authenticated  # the checks below ask nothing more: see _readable_topic
    can_post = permissions.can_post(user, category)
    can_moderate = permissions.can_moderate(user, category)
    can_reply = can_post and not topic.is_pending and (not topic.locked or can_moderate)
    context = {
        "topic": topic,
        "category": category,
        "tag_badges": forum_cache.fragment(
            "topic", topic.pk, ["tags"], lambda: _tag_badges(topic)
        ),
        "can_post": can_post,
        "can_reply": can_reply,
        "can_moderate": can_moderate,
        "can_edit_title": permissions.can_edit_title(user, topic),
        "signed_in": signed_in,
        "language_names": LANGUAGE_NAMES,
        "reader_language": reader_language,
        "language_label": _("Language"),
        "labels": _post_labels(),
        "quote_url": reverse("forum:reply", args=[topic.pk]) + "?quote=",
    }

    if not signed_in:  # so the topic is public: _readable_topic let a visitor in
        # Visitors all see the same posts: rendered once per topic version (forum/cache.py).
        def render_posts():
            posts = _page_posts(topic, number)
            _prepare_posts(posts, user, reader_language)
            return render_to_string("forum/includes/topic_posts.html", {**context, "posts": posts})

        context["posts_html"] = mark_safe(  # noqa: S308 - rendered by our template
            forum_cache.fragment("topic", topic.pk, [number], render_posts)
        )
        context["page_obj"] = NumberedPage(number, topic.num_pages, [])
        return render(request, "forum/topic.html", context)

    # Members: the page's posts rendered once for every member who sees them alike (same
    # rights, same likes, bookmarks and own posts among them, same visible author profiles),
    # kept under the topic's version like the visitors' fragment.
    rows = selectors.member_page_rows(topic, number, POSTS_PER_PAGE, user)
    liked = {row.pk for row in rows if row.liked}
    bookmarked = {row.pk for row in rows if row.bookmarked}
    mine = {row.pk for row in rows if row.author_id == user.pk}
    visible_authors = _visible_author_ids(
        user, {(row.author_id, row.author_active, row.author_visibility) for row in rows}
    )

    def render_member_posts():
        posts = _page_posts(topic, number)
        _prepare_posts(posts, user, reader_language, visible_authors)
        for post in posts:
            post.liked = post.pk in liked
            post.bookmarked = post.pk in bookmarked
            post.mine = post.pk in mine
            post.can_edit = post.mine and can_post and post.is_visible
        return render_to_string(
            "forum/includes/topic_posts.html",
            {**context, "posts": posts, "csrf_token": CSRF_PLACEHOLDER},
        )

    member_parts = [
        number,
        "member",
        f"{can_post:d}{can_reply:d}{can_moderate:d}",
        forum_cache.digest(
            sorted(liked), sorted(bookmarked), sorted(mine), sorted(visible_authors)
        ),
    ]
    posts_html = forum_cache.fragment("topic", topic.pk, member_parts, render_member_posts)
    context["posts_html"] = mark_safe(  # noqa: S308 - rendered by our template
        posts_html.replace(CSRF_PLACEHOLDER, get_token(request))
    )
    posts = rows
    watching, has_waiting, last_read = selectors.member_topic_state(
        topic, user, moderator=can_moderate
    )
    if rows and (last_read is None or last_read < rows[-1].number):  # no write on re-reads
        services.mark_read(topic=topic, user=user, number=rows[-1].number)
    # Waiting (and rejected) posts: the author sees theirs, moderators all those waiting.
    pending = []
    if has_waiting:
        waiting = topic.posts.filter(number__isnull=True, is_deleted=False)
        if can_moderate:
            waiting = waiting.filter(Q(approval=Approval.PENDING) | Q(author=user))
        else:
            waiting = waiting.filter(author=user)
        pending = list(
            waiting.select_related("author").order_by("created_at", "pk")[:PENDING_SHOWN]
        )
        for post in pending:
            post.mine = post.author_id == user.pk
            post.can_edit = post.mine and can_post and post.is_pending
    context.update(
        {
            "posts": posts,
            "page_obj": NumberedPage(number, topic.num_pages, posts),
            "pending": pending,
            "watching": watching,
            "reply_fields": _reply_fields(request) if can_reply else "",
        }
    )
    if can_moderate:
        context["merge_form"] = MergeForm()
        context["split_form"] = SplitForm()
        context["move_form"] = MoveForm(
            categories=Category.objects.readable_by(user).exclude(pk=category.pk),
        )
    return render(request, "forum/topic.html", context)


def post_permalink(request, pk):
    post = _readable_post(request.user, pk)
    return HttpResponseRedirect(post_url(post))


@login_required
def first_unread(request, pk):
    """Jump to the first post the member has not been shown yet (else the last page)."""
    topic = _readable_topic(request.user, pk)
    state = TopicReadState.objects.filter(topic=topic, user=request.user).first()
    last_read = state.last_read_number if state else 0
    post = topic.posts.filter(number__gt=last_read).order_by("number").first()
    if post is None:
        post = topic.posts.filter(number__isnull=False).order_by("-number").first()
    if post is None:
        return redirect(topic.get_absolute_url())
    post.topic = topic
    return redirect(post_url(post))


@require_POST
@login_required
def topic_watch(request, pk):
    topic = _readable_topic(request.user, pk)
    services.watch_toggle(topic=topic, user=request.user)
    return redirect(topic.get_absolute_url())


@login_required
def notifications(request):
    items = _readable_notifications(request.user).select_related("actor", "post", "post__topic")
    page = Paginator(items, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/notifications.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "unread_notifications": unread_notification_count(request.user),
        },
    )


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(
        _readable_notifications(request.user).select_related("post", "post__topic"), pk=pk
    )
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
    return redirect(post_url(notification.post))


@require_POST
@login_required
def notifications_mark_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("forum:notifications")


@login_required
def email_settings(request):
    from forum.notify_email import preference_for

    preference = preference_for(request.user)
    form = EmailPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        from django.contrib import messages

        messages.success(request, _("Your forum e-mail settings are saved."))
        return redirect("forum:email_settings")
    return render(request, "forum/email_settings.html", {"form": form})


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts without a session; the token is the key
def unsubscribe(request, token):
    preference = get_object_or_404(EmailPreference, token=token)
    done = False
    if request.method == "POST":
        EmailPreference.objects.filter(pk=preference.pk).update(mode=EmailMode.OFF)
        done = True
    return render(request, "forum/unsubscribe.html", {"done": done, "token": token})


# Writing


def _quote(post) -> str:
    lines = post.body.splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    author = post.author.username
    return f"@{author} — [#{post.number}]({post.get_absolute_url()}):\n{quoted}\n\n"


def _preview(form):
    return render_markdown(form.cleaned_data["body"]) if form.is_valid() else None


def _preview_language(form) -> str:
    """The language the post will be stored in, shown with the preview."""
    if not form.is_valid():
        return ""
    chosen = form.cleaned_data["language"]
    code = chosen or detect_language(form.cleaned_data["body"])
    if not code:
        return _("not detected: the text is too short; choose it if it matters")
    name = LANGUAGE_NAMES.get(code, code)
    return name if chosen else _("%(language)s (detected)") % {"language": name}


def _held_message(request):
    messages.info(
        request,
        _(
            "Thank you: as a new member here, your post waits for a moderator's approval. "
            "Only you see it until then."
        ),
    )


@login_required
def topic_create(request, slug):
    category = get_object_or_404(Category.objects.readable_by(request.user), slug=slug)
    if not permissions.can_post(request.user, category):
        return _forbidden(
            request, _("Only members with a verified e-mail address may post in this category.")
        )
    form = TopicForm(request.POST or None, user=request.user)
    preview = preview_language = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = _preview(form)
            preview_language = _preview_language(form)
        else:
            try:
                services.check_rate_limit(request.user)
            except services.RateLimited:
                return _rate_limited(request)
            data = form.cleaned_data
            topic = services.topic_create(
                category=category,
                author=request.user,
                title=data["title"],
                body=data["body"],
                language=data["language"],
                tags=data["tags"],
            )
            if topic.is_pending:
                _held_message(request)
            return redirect(topic.get_absolute_url())
    return render(
        request,
        "forum/topic_form.html",
        {
            "category": category,
            "form": form,
            "preview": preview,
            "preview_language": preview_language,
        },
    )


@login_required
def reply(request, pk):
    topic = _readable_topic(request.user, pk)
    if not permissions.can_post(request.user, topic.category):
        return _forbidden(
            request, _("Only members with a verified e-mail address may post in this category.")
        )
    if topic.locked and not permissions.can_moderate(request.user, topic.category):
        return _forbidden(request, _("This topic is locked: no new replies can be posted."))
    if topic.is_pending:
        return _forbidden(
            request, _("This topic waits for a moderator's approval: replies come after.")
        )
    preview = preview_language = None
    if request.method == "POST":
        form = PostForm(request.POST, user=request.user)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(form)
                preview_language = _preview_language(form)
            else:
                try:
                    services.check_rate_limit(request.user)
                except services.RateLimited:
                    return _rate_limited(request)
                post = services.post_create(
                    topic=topic,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                )
                post.topic = topic
                if post.is_pending:
                    _held_message(request)
                return redirect(post_url(post))
    else:
        initial = {}
        quote_id = request.GET.get("quote", "")
        if quote_id.isdigit():
            quoted = (
                topic.posts.filter(pk=int(quote_id), is_deleted=False, is_hidden=False)
                .select_related("author")
                .first()
            )
            if quoted is not None:
                initial["body"] = _quote(quoted)
        form = PostForm(initial=initial, user=request.user)
    return render(
        request,
        "forum/reply.html",
        {"topic": topic, "form": form, "preview": preview, "preview_language": preview_language},
    )


@login_required
def post_edit(request, pk):
    post = _readable_post(request.user, pk)
    if not permissions.can_edit_post(request.user, post):
        return _forbidden(request, _("You can only edit your own posts."))
    preview = preview_language = None
    if request.method == "POST":
        form = PostForm(request.POST, user=request.user)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(form)
                preview_language = _preview_language(form)
            else:
                services.post_edit(
                    post=post,
                    editor=request.user,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                )
                return redirect(post_url(post))
    else:
        # A detected language is detected again from the new text; a chosen one is kept.
        language = DETECT if post.language_detected else post.language
        form = PostForm(initial={"body": post.body, "language": language}, user=request.user)
    return render(
        request,
        "forum/post_edit.html",
        {
            "post": post,
            "form": form,
            "preview": preview,
            "preview_language": preview_language,
            "detected_language": LANGUAGE_NAMES.get(post.language, post.language)
            if post.language_detected
            else "",
        },
    )


@login_required
def topic_title(request, pk):
    """Change a topic's title: its author while the topic is open, or a moderator."""
    topic = _readable_topic(request.user, pk)
    if not permissions.can_edit_title(request.user, topic):
        return _forbidden(
            request, _("Only the author of an open topic and the moderators can change its title.")
        )
    form = TitleForm(request.POST or None, initial={"title": topic.title})
    if request.method == "POST" and form.is_valid():
        services.topic_retitle(topic=topic, editor=request.user, title=form.cleaned_data["title"])
        return redirect(topic.get_absolute_url())
    return render(request, "forum/topic_title.html", {"topic": topic, "form": form})


@login_required
def post_delete(request, pk):
    post = _readable_post(request.user, pk)
    if not permissions.can_edit_post(request.user, post):
        return _forbidden(request, _("You can only delete your own posts."))
    if request.method == "POST":
        services.post_delete(post=post)
        return redirect(post_url(post))
    return render(request, "forum/post_delete.html", {"post": post})


@login_required
def post_translate(request, pk):
    """Contribute a translation of a post (or edit one's own); moderators can hide them."""
    post = _readable_post(request.user, pk)
    if not post.is_visible or not permissions.can_post(request.user, post.topic.category):
        return _forbidden(request, _("You cannot translate this post."))
    language = request.POST.get("language") or request.GET.get("language") or get_language()
    existing = PostTranslation.objects.filter(post=post, language=language).first()
    if existing is not None and existing.translator_id != request.user.pk:
        return _forbidden(
            request,
            _("%(name)s has already translated this post into this language.")
            % {"name": existing.translator.get_display_name()},
        )
    preview = None
    machine_suggested = False
    if request.method == "POST":
        form = TranslationForm(request.POST, user=request.user, post=post)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(form)
            else:
                services.translation_save(
                    post=post,
                    translator=request.user,
                    language=form.cleaned_data["language"],
                    body=form.cleaned_data["body"],
                )
                return redirect(post_url(post))
    else:
        initial = {"language": language if language != post.language else ""}
        if existing is not None:
            initial["body"] = existing.body
        elif request.GET.get("suggest") and initial["language"]:
            from forum.machine_translation import suggest

            suggestion = suggest(post.body, post.language, initial["language"])
            if suggestion:
                initial["body"] = suggestion
                machine_suggested = True
        form = TranslationForm(initial=initial, user=request.user, post=post)
        if not initial["language"]:
            form.initial.pop("language")
    from forum.machine_translation import get_backend

    return render(
        request,
        "forum/post_translate.html",
        {
            "post": post,
            "form": form,
            "preview": preview,
            "machine_available": get_backend() is not None,
            "machine_suggested": machine_suggested,
            "language": language,
        },
    )


@require_POST
@login_required
def translation_moderate(request, pk):
    translation = get_object_or_404(
        PostTranslation.objects.filter(
            post__topic__in=Topic.objects.readable_by(request.user).values("pk")
        ).select_related("post", "post__topic", "post__topic__category"),
        pk=pk,
    )
    if not permissions.can_moderate(request.user, translation.post.topic.category):
        return _forbidden(request, _("Only moderators may do this."))
    services.translation_set_hidden(
        translation=translation,
        moderator=request.user,
        hidden=request.POST.get("action") == "hide",
    )
    return redirect(post_url(translation.post))


@login_required
def post_revisions(request, pk):
    post = _readable_post(request.user, pk)
    is_author = post.author_id == request.user.pk
    if not (is_author or permissions.can_moderate(request.user, post.topic.category)):
        return _forbidden(request, _("Only the author and the moderators see earlier versions."))
    revisions = list(post.revisions.select_related("replaced_by"))
    for revision in revisions:
        revision.html = render_markdown(revision.body)
    titles = list(post.topic.revisions.select_related("replaced_by")[:50]) if post.is_first else []
    return render(
        request,
        "forum/post_revisions.html",
        {"post": post, "revisions": revisions, "titles": titles},
    )


@require_POST
@login_required
def post_like(request, pk):
    post = _readable_post(request.user, pk)
    if not post.is_visible or not permissions.can_post(request.user, post.topic.category):
        return _forbidden(request, _("You cannot like this post."))
    services.reaction_toggle(post=post, user=request.user)
    return redirect(post_url(post))


@require_POST
@login_required
def post_bookmark(request, pk):
    post = _readable_post(request.user, pk)
    services.bookmark_toggle(post=post, user=request.user)
    return redirect(post_url(post))


@login_required
def bookmarks(request):
    marks = (
        Bookmark.objects.filter(
            user=request.user,
            post__in=Post.objects.readable_by(request.user).values("pk"),
        )
        .select_related("post", "post__topic", "post__author")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(marks, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "forum/bookmarks.html", {"page_obj": page, "bookmarks": page.object_list}
    )


@login_required
def post_report(request, pk):
    post = _readable_post(request.user, pk)
    if not permissions.has_verified_email(request.user):
        return _forbidden(request, _("Verify your e-mail address before reporting posts."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            post=post, reporter=request.user, reason=form.cleaned_data["reason"]
        )
        from django.contrib import messages

        messages.success(request, _("Thank you: the moderators will look at this post."))
        return redirect(post_url(post))
    return render(request, "forum/post_report.html", {"post": post, "form": form})


# Moderation


@require_POST
@login_required
def topic_moderate(request, pk):
    topic = _readable_topic(request.user, pk)
    user = request.user
    if not permissions.can_moderate(user, topic.category):
        return _forbidden(request, _("Only moderators may do this."))
    action = request.POST.get("action")
    if action in ("pin", "unpin"):
        services.topic_set_pinned(topic=topic, moderator=user, pinned=action == "pin")
    elif action in ("lock", "unlock"):
        services.topic_set_locked(topic=topic, moderator=user, locked=action == "lock")
    elif action == "move":
        form = MoveForm(request.POST, categories=Category.objects.readable_by(user))
        if not form.is_valid():
            return _forbidden(request, _("Choose a category to move the topic to."), status=400)
        services.topic_move(topic=topic, moderator=user, category=form.cleaned_data["category"])
    elif action == "merge":
        form = MergeForm(request.POST)
        target = None
        if form.is_valid():
            target = (
                Topic.objects.readable_by(user)
                .filter(pk=form.cleaned_data["target"])
                .exclude(pk=topic.pk)
                .select_related("category")
                .first()
            )
        if target is None or not permissions.can_moderate(user, target.category):
            return _forbidden(request, _("Choose another topic you moderate."), status=400)
        target = services.topic_merge(source=topic, target=target, moderator=user)
        return redirect(target.get_absolute_url())
    elif action == "split":
        form = SplitForm(request.POST)
        if not form.is_valid():
            return _forbidden(request, _("Give the post numbers and a title."), status=400)
        try:
            new = services.topic_split(topic=topic, moderator=user, **form.cleaned_data)
        except ValueError:
            return _forbidden(request, _("No posts to split off."), status=400)
        return redirect(new.get_absolute_url())
    else:
        return _forbidden(request, _("Unknown moderation action."), status=400)
    return redirect(topic.get_absolute_url())


@require_POST
@login_required
def post_moderate(request, pk):
    post = _readable_post(request.user, pk)
    user = request.user
    if not permissions.can_moderate(user, post.topic.category):
        return _forbidden(request, _("Only moderators may do this."))
    action = request.POST.get("action")
    if action in ("hide", "unhide"):
        services.post_set_hidden(post=post, moderator=user, hidden=action == "hide")
    elif action == "restore":
        services.post_restore(post=post, moderator=user)
    elif action in ("approve", "reject"):
        if action == "approve":
            done = services.post_approve(post=post, moderator=user)
        else:
            note = request.POST.get("note", "")[:500]
            done = services.post_reject(post=post, moderator=user, note=note)
        if not done:
            return _forbidden(request, _("This post is no longer waiting for approval."), 409)
        if request.POST.get("next") == "queue":
            return redirect("forum:moderation")
    else:
        return _forbidden(request, _("Unknown moderation action."), status=400)
    return redirect(post_url(post))


def _moderated_posts(user):
    """Posts in the categories the user moderates (all readable ones for global moderators)."""
    posts = Post.objects.readable_by(user, include_hidden=True)
    if not permissions.is_moderator(user):
        posts = posts.filter(topic__category__moderators=user)
    return posts.values("pk")


@login_required
def moderation_queue(request):
    if not permissions.moderates_anything(request.user):
        return _forbidden(request, _("Only moderators may see the moderation queue."))
    readable = _moderated_posts(request.user)
    reports = (
        Report.objects.filter(status=ReportStatus.OPEN, post__in=readable)
        .select_related("post", "post__topic", "post__author", "reporter")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    waiting = (
        Post.objects.pending()
        .filter(pk__in=readable)
        .select_related("topic", "topic__category", "author")
        .order_by("created_at", "pk")
    )
    pending_page = Paginator(waiting, SEARCH_PAGE_SIZE).get_page(request.GET.get("waiting"))
    log = ModerationLog.objects.select_related("moderator", "topic", "post")
    if not permissions.is_moderator(request.user):
        log = log.filter(topic__category__moderators=request.user)
    log = log.order_by("-created_at", "-pk")[:30]
    return render(
        request,
        "forum/moderation.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "pending_page": pending_page,
            "pending": pending_page.object_list,
            "log": list(log),
        },
    )


@require_POST
@login_required
def report_resolve(request, pk):
    if not permissions.moderates_anything(request.user):
        return _forbidden(request, _("Only moderators may do this."))
    readable = _moderated_posts(request.user)
    report = get_object_or_404(Report.objects.filter(post__in=readable), pk=pk)
    services.report_resolve(report=report, moderator=request.user)
    return redirect("forum:moderation")


# Search


def search(request):
    """Full-text search over the posts the reader may see (see selectors.search_posts)."""
    readable = [category.pk for category in permissions.readable_categories(request.user)]
    form = SearchForm(
        request.GET or None,
        categories=Category.objects.filter(pk__in=readable).order_by("order", "pk"),
    )
    found, text = None, ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        found = selectors.search_posts(
            user=request.user,
            text=text,
            page_number=request.GET.get("page"),
            category=form.cleaned_data["category"],
            language=form.cleaned_data["language"],
            author=form.cleaned_data["author"].strip(),
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            per_page=SEARCH_PAGE_SIZE,
            readable=readable,
        )
    return render(
        request,
        "forum/search.html",
        {
            "form": form,
            "results": found.results if found else [],
            "page_obj": found.page if found else None,
            "capped": found is not None and found.capped,
            "candidates": selectors.SEARCH_CANDIDATES,
            "query": text,
            "page_query": urlencode({k: v for k, v in request.GET.items() if k != "page"}),
        },
    )
