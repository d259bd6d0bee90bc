"""Pages of private conversations.

Every page of a conversation reads it through ``Conversation.objects.of_member``: whoever is
not a current member, staff, moderators and superusers included, gets a 404, so not even the
existence of a conversation is revealed. Moderators see a reported message, and the messages
around it, only from the report (``report_detail``).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from collective_brain.markdown import render_markdown
from conversations import services
from conversations.forms import AddMemberForm, ConversationForm, MessageForm, ReportForm
from conversations.models import (
    CONVERSATIONS_PER_PAGE,
    MESSAGES_PER_PAGE,
    Conversation,
    Membership,
    Message,
    MessageReport,
    ModerationLog,
    ReportStatus,
)
from forum import permissions
from forum.services import RateLimited
from forum.views import NumberedPage

REPORTS_PER_PAGE = 20
REPORT_CONTEXT = 5  # messages shown before and after a reported one


def _forbidden(request, message, status=403):
    return render(request, "forum/forbidden.html", {"message": message}, status=status)


def _verified_only(request):
    return _forbidden(request, _("Verify your e-mail address before writing private messages."))


def _rate_limit_error(form):
    form.add_error(
        None,
        _(
            "You are sending messages too fast: wait a moment, then send it again "
            "(your text is kept below)."
        ),
    )


def _conversation(user, pk):
    return get_object_or_404(Conversation.objects.of_member(user), pk=pk)


def _membership(user, conversation):
    return Membership.objects.get(conversation=conversation, user=user)


def message_url(message) -> str:
    url = message.conversation.get_absolute_url()
    if message.page_number > 1:
        url += f"?page={message.page_number}"
    return f"{url}#{message.anchor}"


def _page_number(request, num_pages):
    try:
        number = int(request.GET.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), num_pages)


def _preview(form):
    return render_markdown(form.cleaned_data["body"])


def _bind(request, form_class, **kwargs):
    """Bind a message form; once valid, its language is the author's choice or the detected
    one, shown in the form again so a preview lets the author correct it."""
    form = form_class(request.POST.copy(), user=request.user, **kwargs)
    if form.is_valid():
        language = services.resolve_language(
            body=form.cleaned_data["body"],
            chosen=form.cleaned_data["language"],
            author=request.user,
        )
        form.cleaned_data["language"] = form.data["language"] = language
    return form


@login_required
def index(request):
    """My conversations, newest activity first, the unread ones marked."""
    memberships = (
        Membership.objects.current()
        .filter(user=request.user)
        .select_related("conversation")
        .order_by("-activity_at", "-id")
    )
    page = Paginator(memberships, CONVERSATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "conversations/index.html",
        {
            "page_obj": page,
            "memberships": page.object_list,
            "can_write": permissions.has_verified_email(request.user),
        },
    )


@login_required
def start(request):
    if not permissions.has_verified_email(request.user):
        return _verified_only(request)
    preview = None
    status = 200
    if request.method == "POST":
        form = _bind(request, ConversationForm)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(form)
            else:
                try:
                    services.check_start_rate_limit(request.user)
                except RateLimited:
                    _rate_limit_error(form)
                    status = 429
                else:
                    data = form.cleaned_data
                    conversation = services.conversation_start(
                        author=request.user,
                        recipients=data["recipients"],
                        subject=data["subject"],
                        body=data["body"],
                        language=data["language"],
                    )
                    return redirect(conversation.get_absolute_url())
    else:
        to = request.GET.get("to", "")[:150].replace("\x00", "")
        form = ConversationForm(initial={"recipients": to} if to else None, user=request.user)
    return render(
        request, "conversations/start.html", {"form": form, "preview": preview}, status=status
    )


def _members(conversation):
    return list(
        conversation.memberships.current().select_related("user").order_by("joined_at", "pk")
    )


@login_required
def detail(request, pk):
    conversation = _conversation(request.user, pk)
    user = request.user
    number = _page_number(request, conversation.num_pages)
    start_at = (number - 1) * MESSAGES_PER_PAGE
    page_messages = list(
        conversation.messages.filter(number__gt=start_at, number__lte=start_at + MESSAGES_PER_PAGE)
        .select_related("author")
        .order_by("number")
    )
    if page_messages:
        services.mark_read(conversation=conversation, user=user, number=page_messages[-1].number)
    members = _members(conversation)
    visible = set(
        get_user_model()
        .objects.visible_to(user)
        .filter(pk__in={m.user_id for m in members} | {m.author_id for m in page_messages})
        .values_list("pk", flat=True)
    )
    for membership in members:
        membership.profile_visible = membership.user_id in visible
    for message in page_messages:
        message.author_visible = message.author_id in visible
        message.mine = message.author_id == user.pk
    can_write = permissions.has_verified_email(user)
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "conversation_messages": page_messages,
            "members": members,
            "page_obj": NumberedPage(number, conversation.num_pages, page_messages),
            "can_write": can_write,
            "form": MessageForm(user=user) if can_write else None,
        },
    )


@login_required
def reply(request, pk):
    conversation = _conversation(request.user, pk)
    if not permissions.has_verified_email(request.user):
        return _verified_only(request)
    preview = None
    status = 200
    if request.method == "POST":
        form = _bind(request, MessageForm)
        if form.is_valid():
            if "preview" in request.POST:
                preview = _preview(form)
            else:
                try:
                    services.check_rate_limit(request.user)
                except RateLimited:
                    _rate_limit_error(form)
                    status = 429
                else:
                    message = services.message_send(
                        conversation=conversation,
                        author=request.user,
                        body=form.cleaned_data["body"],
                        language=form.cleaned_data["language"],
                    )
                    message.conversation = conversation
                    return redirect(message_url(message))
    else:
        form = MessageForm(user=request.user)
    return render(
        request,
        "conversations/reply.html",
        {"conversation": conversation, "form": form, "preview": preview},
        status=status,
    )


@login_required
def message_permalink(request, pk):
    message = get_object_or_404(
        Message.objects.filter(
            conversation__in=Conversation.objects.of_member(request.user).values("pk")
        ).select_related("conversation"),
        pk=pk,
    )
    return HttpResponseRedirect(message_url(message))


@login_required
def first_unread(request, pk):
    """Jump to the first message the member has not been shown yet (else the last one)."""
    conversation = _conversation(request.user, pk)
    last_read = _membership(request.user, conversation).last_read_number
    message = conversation.messages.filter(number__gt=last_read).order_by("number").first()
    if message is None:
        message = conversation.messages.order_by("-number").first()
    if message is None:
        return redirect(conversation.get_absolute_url())
    message.conversation = conversation
    return redirect(message_url(message))


@login_required
def add_members(request, pk):
    conversation = _conversation(request.user, pk)
    if not permissions.has_verified_email(request.user):
        return _verified_only(request)
    form = AddMemberForm(request.POST or None, user=request.user, conversation=conversation)
    if request.method == "POST" and form.is_valid():
        added = [
            person
            for person in form.cleaned_data["recipients"]
            if services.member_add(conversation=conversation, user=person, added_by=request.user)
        ]
        if added:
            messages.success(
                request,
                _("Added %(names)s: they can read the whole conversation, from its first message.")
                % {"names": ", ".join(person.get_display_name() for person in added)},
            )
        else:
            messages.info(request, _("They are members of this conversation already."))
        return redirect(conversation.get_absolute_url())
    return render(
        request,
        "conversations/add_members.html",
        {"conversation": conversation, "form": form, "members": _members(conversation)},
        status=400 if form.errors else 200,
    )


@login_required
def leave(request, pk):
    conversation = _conversation(request.user, pk)
    if request.method == "POST":
        services.member_leave(conversation=conversation, user=request.user)
        messages.success(request, _("You have left the conversation."))
        return redirect("conversations:index")
    return render(request, "conversations/leave.html", {"conversation": conversation})


@login_required
def report(request, pk):
    message = get_object_or_404(
        Message.objects.filter(
            conversation__in=Conversation.objects.of_member(request.user).values("pk")
        ).select_related("conversation", "author"),
        pk=pk,
    )
    if not permissions.has_verified_email(request.user):
        return _forbidden(request, _("Verify your e-mail address before reporting messages."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_create(
            message=message, reporter=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you: the moderators will look at this message."))
        return redirect(message_url(message))
    return render(
        request,
        "conversations/report.html",
        {"message": message, "conversation": message.conversation, "form": form},
        status=400 if form.errors else 200,
    )


# Moderation: only through reports


def _moderators_only(request):
    return _forbidden(request, _("Only moderators may see reported private messages."))


@login_required
def moderation(request):
    if not permissions.is_moderator(request.user):
        return _moderators_only(request)
    status = request.GET.get("status")
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    reports = (
        MessageReport.objects.filter(status=status)
        .select_related("message", "message__author", "reporter")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    log = list(
        ModerationLog.objects.select_related("moderator", "report").order_by("-created_at", "-pk")[
            :30
        ]
    )
    return render(
        request,
        "conversations/moderation.html",
        {
            "page_obj": page,
            "reports": page.object_list,
            "status": status,
            "page_query": f"status={status}",
            "log": log,
        },
    )


@login_required
def report_detail(request, pk):
    """The reported message and the few around it, read-only: a moderator's only view."""
    if not permissions.is_moderator(request.user):
        return _moderators_only(request)
    report = get_object_or_404(
        MessageReport.objects.select_related(
            "message", "message__conversation", "message__author", "reporter", "resolved_by"
        ),
        pk=pk,
    )
    reported = report.message
    around = list(
        Message.objects.filter(
            conversation_id=reported.conversation_id,
            number__gte=reported.number - REPORT_CONTEXT,
            number__lte=reported.number + REPORT_CONTEXT,
        )
        .select_related("author")
        .order_by("number")
    )
    return render(
        request,
        "conversations/report_detail.html",
        {"report": report, "reported": reported, "around": around},
    )


@require_POST
@login_required
def report_act(request, pk):
    if not permissions.is_moderator(request.user):
        return _moderators_only(request)
    report = get_object_or_404(MessageReport.objects.select_related("message"), pk=pk)
    action = request.POST.get("action")
    if action in ("hide", "unhide"):
        services.message_set_hidden(report=report, moderator=request.user, hidden=action == "hide")
    elif action == "resolve":
        services.report_resolve(report=report, moderator=request.user)
    else:
        return _forbidden(request, _("Unknown moderation action."), status=400)
    return redirect("conversations:report_detail", pk=report.pk)
