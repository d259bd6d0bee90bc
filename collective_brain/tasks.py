from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
    headers: dict[str, str] | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Send one e-mail from a background worker, so no page waits for the mail server."""
    message = EmailMultiAlternatives(
        subject, body, from_email, to, headers=headers or {}, reply_to=reply_to or []
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


def enqueue_email_message(message) -> None:
    """Hand an already rendered EmailMessage to the background worker."""
    html_body = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        None,
    )
    body = message.body
    if getattr(message, "content_subtype", "plain") == "html":
        html_body, body = body, ""
    send_email.enqueue(
        subject=message.subject,
        body=body,
        to=list(message.to),
        from_email=message.from_email,
        html_body=html_body,
        headers=dict(message.extra_headers),
        reply_to=list(message.reply_to),
    )
