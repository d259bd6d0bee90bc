"""Demo forum: public categories, a cohort space for the latest edition, a few discussions.

The discussions are written by the demo accounts (<role>@demo.collective-brain.org, created by
seed_demo before this runs) and state opinions and questions only: no invented facts about
real people or events. Running it again changes nothing.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from academies.models import Edition
from forum import services
from forum.models import Access, Category, Post, PostTranslation, Tag, Topic

DEMO_DOMAIN = "demo.collective-brain.org"
LANGUAGES = ["en", "fr", "es", "pt", "it"]

CATEGORIES = [
    {
        "slug": "welcome",
        "order": 1,
        "name": {"en": "Welcome & introductions", "fr": "Bienvenue et présentations", "es": "Bienvenida y presentaciones", "pt": "Boas-vindas e apresentações", "it": "Benvenuti e presentazioni"},
        "description": {"en": "Say hello and tell the network what you work on.", "fr": "Dites bonjour et présentez votre travail au réseau.", "es": "Saluda y cuenta a la red en qué trabajas.", "pt": "Diga olá e conte à rede em que trabalha.", "it": "Salutate e raccontate alla rete di cosa vi occupate."},
    },
    {
        "slug": "public-policies",
        "order": 2,
        "name": {"en": "Public policies for the SSE", "fr": "Politiques publiques pour l’ESS", "es": "Políticas públicas para la ESS", "pt": "Políticas públicas para a ESS", "it": "Politiche pubbliche per l’ESS"},
        "description": {"en": "Laws, programmes and institutions that support the social and solidarity economy.", "fr": "Lois, programmes et institutions qui soutiennent l’économie sociale et solidaire.", "es": "Leyes, programas e instituciones que apoyan la economía social y solidaria.", "pt": "Leis, programas e instituições que apoiam a economia social e solidária.", "it": "Leggi, programmi e istituzioni a sostegno dell’economia sociale e solidale."},
    },
    {
        "slug": "future-of-work",
        "order": 3,
        "name": {"en": "SSE and the future of work", "fr": "L’ESS et l’avenir du travail", "es": "La ESS y el futuro del trabajo", "pt": "A ESS e o futuro do trabalho", "it": "L’ESS e il futuro del lavoro"},
        "description": {"en": "Decent work, cooperatives of workers and platforms, transitions.", "fr": "Travail décent, coopératives de travailleurs et de plateformes, transitions.", "es": "Trabajo decente, cooperativas de trabajo y de plataformas, transiciones.", "pt": "Trabalho digno, cooperativas de trabalho e de plataformas, transições.", "it": "Lavoro dignitoso, cooperative di lavoro e di piattaforma, transizioni."},
    },
    {
        "slug": "social-finance",
        "order": 4,
        "name": {"en": "Social finance", "fr": "Finance solidaire", "es": "Finanzas solidarias", "pt": "Finanças solidárias", "it": "Finanza sociale"},
        "description": {"en": "Savings groups, cooperative banks, guarantee funds and impact investment.", "fr": "Tontines, banques coopératives, fonds de garantie et investissement à impact.", "es": "Grupos de ahorro, bancos cooperativos, fondos de garantía e inversión de impacto.", "pt": "Grupos de poupança, bancos cooperativos, fundos de garantia e investimento de impacto.", "it": "Gruppi di risparmio, banche cooperative, fondi di garanzia e investimenti a impatto."},
    },
]  # fmt: skip

TAGS = {
    "cooperatives": {"en": "Cooperatives", "fr": "Coopératives", "es": "Cooperativas", "pt": "Cooperativas", "it": "Cooperative"},
    "legislation": {"en": "Legislation", "fr": "Législation", "es": "Legislación", "pt": "Legislação", "it": "Legislazione"},
    "youth": {"en": "Youth", "fr": "Jeunesse", "es": "Juventud", "pt": "Juventude", "it": "Giovani"},
    "finance": {"en": "Finance", "fr": "Finance", "es": "Finanzas", "pt": "Finanças", "it": "Finanza"},
}  # fmt: skip

# (category slug or "cohort", title, language, tags, [(author role, language, body), …])
DISCUSSIONS = [
    ("welcome", "Hello from Dakar", "en", [], [
        ("member", "en", "Hello everyone! I work with a network of cooperatives in Senegal. I joined to learn how other countries organise support for small cooperatives, and to share what we are trying.\n\nWhat brought you here?"),
        ("participant", "es", "¡Hola Amina! Trabajo en una cooperativa de Madrid que acompaña proyectos de economía social. Me interesa mucho comparar experiencias entre redes de distintos países."),
        ("moderator", "it", "Benvenute! Sono uno dei moderatori del forum. Scrivete pure nella vostra lingua: ogni messaggio indica la lingua in cui è scritto, e potete filtrare gli argomenti per lingua."),
    ]),
    ("public-policies", "Un cadre légal pour l’ESS : par où commencer ?", "fr", ["legislation"], [
        ("member", "fr", "Dans notre pays, l’ESS n’a pas encore de loi-cadre. Pour celles et ceux qui ont suivi un tel processus : quelles étapes ont le plus compté ? La définition du secteur, la création d’un organe de concertation, ou d’abord un recensement des organisations ?"),
        ("participant", "es", "Desde mi experiencia en redes locales, diría que el diálogo entre las organizaciones y la administración tiene que empezar antes de redactar el texto. La biblioteca tiene varios estudios de país sobre políticas públicas que pueden servir de punto de partida."),
        ("curator", "pt", "Boa pergunta. Na biblioteca há estudos de caso por país sobre políticas públicas para a ESS; vale a pena lê-los lado a lado para comparar os processos."),
    ]),
    ("future-of-work", "Platform cooperatives: who has tried one?", "en", ["cooperatives", "youth"], [
        ("participant", "en", "Young people in our area are drawn to delivery and care platforms. Has anyone here supported a group of workers setting up a **platform cooperative**? I would love to hear what was hardest: the technology, the capital, or the governance?"),
        ("moderator", "it", "Nella nostra rete se ne discute molto. Secondo me la parte più difficile è la governance: decidere insieme quando i soci lavorano in luoghi e orari diversi."),
        ("member", "fr", "Même constat chez nous : l’outil numérique n’est pas le plus dur, c’est l’accès au financement de départ."),
    ]),
    ("social-finance", "Grupos de poupança e cooperativas de crédito", "pt", ["finance"], [
        ("curator", "pt", "Em muitos países, os grupos de poupança comunitários são a primeira porta de entrada para o financiamento. Que experiências conhecem de ligação entre esses grupos e cooperativas de crédito?"),
        ("member", "fr", "Au Sénégal, les tontines sont très répandues. La question que nous nous posons est comment les relier à des institutions plus formelles sans perdre la confiance qui fait leur force."),
    ]),
    ("cohort", "Keeping in touch after the Academy", "en", [], [
        ("participant", "en", "This is our private space as participants of this edition. Let's use it to share contacts, materials and follow-up ideas.\n\n> Only participants of the edition and the Academy team can read this category."),
        ("participant", "es", "Propongo que cada persona comparta un proyecto en el que esté trabajando este año."),
    ]),
]  # fmt: skip


# Contributed translations: (topic title, post number, translator role, language, text)
TRANSLATIONS = [
    ("Hello from Dakar", 1, "member", "fr", "Bonjour à toutes et à tous ! Je travaille avec un réseau de coopératives au Sénégal. Je me suis inscrite pour apprendre comment d’autres pays organisent le soutien aux petites coopératives, et pour partager ce que nous essayons.\n\nQu’est-ce qui vous amène ici ?"),
    ("Un cadre légal pour l’ESS : par où commencer ?", 1, "moderator", "en", "In our country, the SSE does not have a framework law yet. For those of you who have been through such a process: which steps mattered most? Defining the sector, setting up a consultation body, or first mapping the organisations?"),
    ("Un cadre légal pour l’ESS : par où commencer ?", 1, "participant", "es", "En nuestro país, la ESS todavía no tiene una ley marco. Para quienes hayan vivido un proceso así: ¿qué etapas contaron más? ¿La definición del sector, la creación de un órgano de concertación o, primero, un censo de las organizaciones?"),
    ("Platform cooperatives: who has tried one?", 1, "moderator", "it", "Nella nostra zona i giovani sono attratti dalle piattaforme di consegna e di assistenza. Qualcuno qui ha accompagnato un gruppo di lavoratori nella creazione di una **cooperativa di piattaforma**? Mi piacerebbe sapere che cosa è stato più difficile: la tecnologia, il capitale o la governance?"),
]  # fmt: skip


def _translated(values: dict, field: str) -> dict:
    return {f"{field}_{code}": text for code, text in values.items()}


@transaction.atomic
def seed_forum() -> list[Category]:
    categories = {}
    for row in CATEGORIES:
        category, _ = Category.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "order": row["order"],
                "access": Access.PUBLIC,
                **_translated(row["name"], "name"),
                **_translated(row["description"], "description"),
            },
        )
        categories[row["slug"]] = category
    latest = Edition.objects.order_by("-number").first()
    if latest is not None:
        city = {code: getattr(latest, f"city_{code}", None) or latest.city for code in LANGUAGES}
        cohort, _ = Category.objects.update_or_create(
            slug=f"cohort-{latest.slug}",
            defaults={
                "order": 10,
                "access": Access.COHORT,
                "name_en": f"Cohort space: SSE Academy {city['en']}",
                "name_fr": f"Espace de la promotion : Académie ESS {city['fr']}",
                "name_es": f"Espacio de la promoción: Academia ESS {city['es']}",
                "name_pt": f"Espaço da turma: Academia ESS {city['pt']}",
                "name_it": f"Spazio del gruppo: Accademia ESS {city['it']}",
                "description_en": "Private to the participants of this edition and the Academy team.",
                "description_fr": "Réservé aux participants de cette édition et à l’équipe de l’Académie.",
                "description_es": "Reservado a los participantes de esta edición y al equipo de la Academia.",
                "description_pt": "Reservado aos participantes desta edição e à equipa da Academia.",
                "description_it": "Riservato ai partecipanti di questa edizione e al team dell’Accademia.",
            },
        )
        cohort.editions.set([latest])
        categories["cohort"] = cohort
    tags = {}
    for slug, names in TAGS.items():
        tags[slug], _ = Tag.objects.update_or_create(
            slug=slug, defaults=_translated(names, "name")
        )

    users = {
        user.email.split("@")[0]: user
        for user in get_user_model().objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")
    }
    for category_key, title, _language, tag_slugs, posts in DISCUSSIONS:
        category = categories.get(category_key)
        roles = {role for role, _language, _body in posts}
        if category is None or not roles <= users.keys():
            continue
        if Topic.objects.filter(category=category, title=title).exists():
            continue
        (role, post_language, body), *replies = posts
        topic = services.topic_create(
            category=category,
            author=users[role],
            title=title,
            body=body,
            language=post_language,
            tags=[tags[slug] for slug in tag_slugs],
            notify=False,  # demo content: nobody is e-mailed
        )
        for role, post_language, body in replies:
            services.post_create(
                topic=topic, author=users[role], body=body, language=post_language, notify=False
            )
    for title, number, role, language, text in TRANSLATIONS:
        post = Post.objects.filter(topic__title=title, number=number).first()
        if post is None or role not in users:
            continue
        if not PostTranslation.objects.filter(post=post, language=language).exists():
            services.translation_save(
                post=post, translator=users[role], language=language, body=text
            )
    return list(categories.values())
