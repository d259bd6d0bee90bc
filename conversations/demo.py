"""Demo private conversations between demo accounts, so that the "Messages" counter and
inbox have something to show. Running it again changes nothing.
"""

from django.contrib.auth import get_user_model

from conversations import services
from conversations.models import Conversation

DEMO_DOMAIN = "demo.collective-brain.org"

# (subject, [roles of the members], [(author role, language, body), …])
CONVERSATIONS = [
    (
        "Comparing support for small cooperatives",
        ["member", "participant"],
        [
            ("member", "en", "Hi! I read your reply in the welcome topic. Could we compare how our networks accompany new cooperatives during their first two years? I can share the checklist we use."),
            ("participant", "es", "¡Claro! Me encantaría ver vuestra lista. Nosotros acompañamos sobre todo la gobernanza y el plan financiero del primer año. ¿Hablamos la semana que viene?"),
        ],
    ),
    (
        "Questions pour la prochaine Académie",
        ["participant", "moderator", "member"],
        [
            ("participant", "fr", "Bonjour à tous les deux ! Je prépare une liste de questions pour la session sur les politiques publiques. Avez-vous des sujets que vous aimeriez voir abordés ?"),
            ("moderator", "it", "Ottima idea. Mi interesserebbe sapere come i governi locali misurano l’impatto delle imprese sociali."),
        ],
    ),
]  # fmt: skip


def seed_conversations() -> list[Conversation]:
    users = {
        user.email.split("@")[0]: user
        for user in get_user_model().objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")
    }
    conversations = []
    for subject, roles, messages in CONVERSATIONS:
        if not set(roles) <= users.keys():
            continue
        existing = Conversation.objects.filter(subject=subject).first()
        if existing is not None:
            conversations.append(existing)
            continue
        (role, language, body), *replies = messages
        conversation = services.conversation_start(
            author=users[role],
            recipients=[users[other] for other in roles if other != role],
            subject=subject,
            body=body,
            language=language,
            notify=False,  # demo content: nobody is e-mailed
        )
        for role, language, body in replies:
            services.message_send(
                conversation=conversation,
                author=users[role],
                body=body,
                language=language,
                notify=False,
            )
        conversations.append(conversation)
    return conversations
