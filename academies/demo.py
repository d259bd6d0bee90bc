"""Demo content of the Academy: an example programme and fictional participants.

Nothing here is a fact about the real editions: the programme is labelled as an example and
has no dates, and the people are invented (addresses at the demo domain, unusable passwords).
Running it again changes nothing.
"""

from django.contrib.auth import get_user_model

from academies.models import Participation, ParticipationRole, Session
from accounts.models import DirectoryVisibility

DEMO_DOMAIN = "demo.collective-brain.org"

EXAMPLE_NOTE = {
    "en": "Example programme for the demonstration: generic sessions, not the actual programme of this edition.",
    "fr": "Programme d’exemple pour la démonstration : des sessions génériques, pas le véritable programme de cette édition.",
    "es": "Programa de ejemplo para la demostración: sesiones genéricas, no el programa real de esta edición.",
    "pt": "Programa de exemplo para a demonstração: sessões genéricas, não o programa real desta edição.",
    "it": "Programma di esempio per la dimostrazione: sessioni generiche, non il vero programma di questa edizione.",
}  # fmt: skip

# (day, order, titles by language, English description)
EXAMPLE_SESSIONS = [
    (1, 1, {"en": "Opening and introductions", "fr": "Ouverture et présentations", "es": "Apertura y presentaciones", "pt": "Abertura e apresentações", "it": "Apertura e presentazioni"},
     "Welcome, presentation of the programme and of the participants, and expectations for the week."),
    (1, 2, {"en": "What is the social and solidarity economy?", "fr": "Qu’est-ce que l’économie sociale et solidaire ?", "es": "¿Qué es la economía social y solidaria?", "pt": "O que é a economia social e solidária?", "it": "Che cos’è l’economia sociale e solidale?"},
     "Concepts, definitions and the diversity of SSE organisations around the world."),
    (2, 1, {"en": "The SSE and decent work", "fr": "L’ESS et le travail décent", "es": "La ESS y el trabajo decente", "pt": "A ESS e o trabalho digno", "it": "L’ESS e il lavoro dignitoso"},
     "How SSE organisations contribute to the Decent Work Agenda."),
    (2, 2, {"en": "Public policies for the SSE", "fr": "Politiques publiques pour l’ESS", "es": "Políticas públicas para la ESS", "pt": "Políticas públicas para a ESS", "it": "Politiche pubbliche per l’ESS"},
     "Legal frameworks and public policies that support the SSE: an exchange of country experiences."),
    (3, 1, {"en": "Study visit to SSE organisations", "fr": "Visite d’étude d’organisations de l’ESS", "es": "Visita de estudio a organizaciones de la ESS", "pt": "Visita de estudo a organizações da ESS", "it": "Visita di studio a organizzazioni dell’ESS"},
     "Meeting local cooperatives, associations and social enterprises."),
    (4, 1, {"en": "Financing the SSE", "fr": "Financer l’ESS", "es": "Financiar la ESS", "pt": "Financiar a ESS", "it": "Finanziare l’ESS"},
     "Solidarity finance, public funding and access to markets."),
    (4, 2, {"en": "Measuring the SSE", "fr": "Mesurer l’ESS", "es": "Medir la ESS", "pt": "Medir a ESS", "it": "Misurare l’ESS"},
     "Statistics and indicators for the social and solidarity economy."),
    (5, 1, {"en": "Action plans and closing", "fr": "Plans d’action et clôture", "es": "Planes de acción y clausura", "pt": "Planos de ação e encerramento", "it": "Piani d’azione e chiusura"},
     "Participants present what they will take home, and how the network keeps working together."),
]  # fmt: skip

# Fictional people: (username, display name, country, organisation, languages, visibility,
# [(edition number, role)]).
EVERYONE, MEMBERS, COHORT = (
    DirectoryVisibility.EVERYONE,
    DirectoryVisibility.MEMBERS,
    DirectoryVisibility.COHORT,
)
P, F, ORG = (
    ParticipationRole.PARTICIPANT,
    ParticipationRole.FACILITATOR,
    ParticipationRole.ORGANISER,
)
DEMO_PEOPLE = [
    ("demo-kwame", "Kwame Mensah", "GH", "Ghana Cooperative Council (fictional)", ["en", "fr"], MEMBERS, [(5, P), (11, F)]),
    ("demo-ines", "Inês Carvalho", "BR", "Rede de Economia Solidária (fictional)", ["pt", "es", "en"], EVERYONE, [(4, P), (9, P)]),
    ("demo-jiwoo", "Ji-woo Park", "KR", "Seoul Social Economy Network (fictional)", ["ko", "en"], MEMBERS, [(8, ORG), (11, P)]),
    ("demo-fatima", "Fatima Zahra El Idrissi", "MA", "Association Tamount (fictional)", ["ar", "fr", "en"], COHORT, [(3, P), (10, P)]),
    ("demo-carlos", "Carlos Méndez", "MX", "Unión de Cooperativas de Puebla (fictional)", ["es", "en"], MEMBERS, [(6, P), (11, P)]),
    ("demo-sophie", "Sophie Tremblay", "CA", "Chantier solidaire (fictional)", ["fr", "en"], EVERYONE, [(2, F)]),
    ("demo-thabo", "Thabo Nkosi", "ZA", "Township Enterprise Forum (fictional)", ["en", "af"], MEMBERS, [(5, P), (10, P)]),
    ("demo-elena", "Elena Bianchi", "IT", "Cooperativa Sociale Aurora (fictional)", ["it", "en", "es"], MEMBERS, [(10, F), (11, F)]),
    ("demo-marie", "Marie Weber", "LU", "Réseau ESS Luxembourg (fictional)", ["fr", "de", "en"], COHORT, [(9, ORG)]),
    ("demo-andres", "Andrés Rojas", "CR", "Cooperativa La Esperanza (fictional)", ["es"], MEMBERS, [(7, P), (11, P)]),
    ("demo-priya", "Priya Raman", "IN", "Women's Self-Help Federation (fictional)", ["en", "ta", "hi"], MEMBERS, [(8, P), (11, P)]),
    ("demo-aissatou", "Aïssatou Ba", "SN", "Mutuelle Solidarité Dakar (fictional)", ["fr", "en"], EVERYONE, [(11, P)]),
    ("demo-hugo", "Hugo Martín", "ES", "Red de Economía Alternativa y Solidaria (fictional)", ["es", "en"], MEMBERS, [(11, ORG)]),
    ("demo-nadia", "Nadia Haddad", "LB", "Cooperative Support Network (fictional)", ["ar", "en", "fr"], MEMBERS, [(9, P), (11, P)]),
]  # fmt: skip


def seed_example_programme(edition) -> list[Session]:
    for language, text in EXAMPLE_NOTE.items():
        setattr(edition, f"programme_note_{language}", text)
    edition.save(update_fields=[f"programme_note_{language}" for language in EXAMPLE_NOTE])
    sessions = []
    for day, order, titles, description in EXAMPLE_SESSIONS:
        session, _created = Session.objects.update_or_create(
            edition=edition,
            day=day,
            order=order,
            defaults={
                **{f"title_{language}": title for language, title in titles.items()},
                "description_en": description,
            },
        )
        sessions.append(session)
    return sessions


def seed_demo_participants(editions) -> list:
    by_number = {edition.number: edition for edition in editions}
    user_model = get_user_model()
    people = []
    for username, name, country, organisation, languages, visibility, places in DEMO_PEOPLE:
        email = f"{username.removeprefix('demo-')}@{DEMO_DOMAIN}"
        user = user_model.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_model(username=username, email=email)
            user.set_unusable_password()
        user.display_name = name
        user.country = country
        user.organisation = organisation
        user.languages_spoken = languages
        user.directory_visibility = visibility
        user.save()
        for number, role in places:
            if number in by_number:
                Participation.objects.get_or_create(
                    user=user, edition=by_number[number], defaults={"role": role}
                )
        people.append(user)
    return people


def seed_programme_and_participants(editions) -> dict:
    """Called by ``seed_demo``: the latest edition's example programme and demo people."""
    editions = sorted(editions, key=lambda edition: edition.number)
    sessions = seed_example_programme(editions[-1]) if editions else []
    people = seed_demo_participants(editions)
    return {"sessions": len(sessions), "people": len(people)}
