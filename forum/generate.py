"""Generate a large forum for benchmarks with set-based SQL (about a minute per 500,000 posts).

    python manage.py generate_data --topics 20000 --posts 500000 [--longest 50000] [--replace]

(``generate_forum_data`` is the same with the forum options only.)

Everything generated is marked: categories' slugs start with "generated-", members' user
names with "gen-forum-", and the cohort space belongs to a generated edition (slug
"generated-cohort"). Topics are spread over five public categories and that cohort space;
one topic (the "longest", in a public category) gets --longest posts and the others share
the rest. Posts are short messages in the five languages, each topic mostly in its own
language with some replies in another, each post indexed with its language's search
configuration as ``services._index`` does (the first post with the topic's title). About one
post in a thousand mentions a rarer subject (beekeeping) so searches can be measured both on
a word found in most posts and on a rare one.

Rows are inserted with one ``INSERT … SELECT`` per table; for large runs the full-text GIN
indexes are dropped first and rebuilt at the end (faster than maintaining them row by row).
Counters (post counts, last post, last number) are set by one ``UPDATE`` at the end.
"""

from django.contrib.auth import get_user_model
from django.contrib.postgres.indexes import GinIndex
from django.db import connection, models, transaction

from academies.models import Edition, Participation
from collective_brain.search import SEARCH_CONFIGS, SIMPLE_CONFIG
from forum.models import Access, Category, Post, Topic

PREFIX = "generated-"
MEMBER_PREFIX = "gen-forum-"
COHORT_SLUG = "generated-cohort"
PUBLIC_CATEGORIES = 5
# Dropping and rebuilding the GIN indexes pays off from about this many posts.
REBUILD_INDEXES_FROM = 50_000

SENTENCES = {
    "en": [
        "Cooperatives share their experience of public procurement.",
        "How do you finance a social enterprise in its first years?",
        "Our network trains young people in solidarity finance.",
        "The municipality now buys school meals from local cooperatives.",
        "We are looking for partners to map the social economy in our region.",
        "Women's savings groups have doubled their members since the Academy.",
        "Could someone share the slides of yesterday's session?",
        "Fair trade labels help small producers reach new markets.",
    ],
    "fr": [
        "Les coopératives partagent leur expérience des marchés publics.",
        "Comment financer une entreprise sociale à ses débuts ?",
        "Notre réseau forme des jeunes à la finance solidaire.",
        "La commune achète désormais les repas scolaires aux coopératives locales.",
        "Nous cherchons des partenaires pour cartographier l'économie sociale de la région.",
        "Les tontines de femmes ont doublé leurs membres depuis l'Académie.",
        "Quelqu'un peut-il partager les diapositives de la séance d'hier ?",
        "Les labels de commerce équitable ouvrent de nouveaux marchés aux petits producteurs.",
    ],
    "es": [
        "Las cooperativas comparten su experiencia con la contratación pública.",
        "¿Cómo se financia una empresa social en sus primeros años?",
        "Nuestra red forma a jóvenes en finanzas solidarias.",
        "El municipio compra ahora los comedores escolares a cooperativas locales.",
        "Buscamos socios para mapear la economía social de nuestra región.",
        "Los grupos de ahorro de mujeres han duplicado sus miembros desde la Academia.",
        "¿Alguien puede compartir las diapositivas de la sesión de ayer?",
        "Los sellos de comercio justo abren nuevos mercados a los pequeños productores.",
    ],
    "pt": [
        "As cooperativas partilham a sua experiência de contratação pública.",
        "Como financiar uma empresa social nos primeiros anos?",
        "A nossa rede forma jovens em finanças solidárias.",
        "O município compra agora as refeições escolares a cooperativas locais.",
        "Procuramos parceiros para mapear a economia social da nossa região.",
        "Os grupos de poupança de mulheres duplicaram os seus membros desde a Academia.",
        "Alguém pode partilhar os diapositivos da sessão de ontem?",
        "Os selos de comércio justo abrem novos mercados aos pequenos produtores.",
    ],
    "it": [
        "Le cooperative condividono la loro esperienza negli appalti pubblici.",
        "Come si finanzia un'impresa sociale nei primi anni?",
        "La nostra rete forma i giovani alla finanza solidale.",
        "Il comune ora acquista le mense scolastiche dalle cooperative locali.",
        "Cerchiamo partner per mappare l'economia sociale della nostra regione.",
        "I gruppi di risparmio delle donne hanno raddoppiato i soci dopo l'Accademia.",
        "Qualcuno può condividere le slide della sessione di ieri?",
        "I marchi del commercio equo aprono nuovi mercati ai piccoli produttori.",
    ],
}
RARE_SENTENCES = {
    "en": "Our beekeeping collective sells its honey in three villages.",
    "fr": "Notre collectif d'apiculture vend son miel dans trois villages.",
    "es": "Nuestro colectivo de apicultura vende su miel en tres pueblos.",
    "pt": "O nosso coletivo de apicultura vende o seu mel em três aldeias.",
    "it": "Il nostro collettivo di apicoltura vende il suo miele in tre paesi.",
}
RARE_EVERY = 997  # one post in about a thousand mentions the rare subject
TITLES = {
    "en": ["Public procurement and cooperatives", "Financing a young social enterprise", "Mapping the social economy", "Savings groups after the Academy", "Fair trade for small producers"],
    "fr": ["Marchés publics et coopératives", "Financer une jeune entreprise sociale", "Cartographier l'économie sociale", "Les tontines après l'Académie", "Le commerce équitable pour les petits producteurs"],
    "es": ["Contratación pública y cooperativas", "Financiar una empresa social joven", "Mapear la economía social", "Grupos de ahorro después de la Academia", "Comercio justo para pequeños productores"],
    "pt": ["Contratação pública e cooperativas", "Financiar uma jovem empresa social", "Mapear a economia social", "Grupos de poupança depois da Academia", "Comércio justo para pequenos produtores"],
    "it": ["Appalti pubblici e cooperative", "Finanziare una giovane impresa sociale", "Mappare l'economia sociale", "Gruppi di risparmio dopo l'Accademia", "Commercio equo per piccoli produttori"],
}  # fmt: skip
LANGUAGES = list(SENTENCES)
CATEGORY_NAMES = {
    "en": "Generated category {n}",
    "fr": "Catégorie générée {n}",
    "es": "Categoría generada {n}",
    "pt": "Categoria gerada {n}",
    "it": "Categoria generata {n}",
}
COHORT_NAMES = {
    "en": "Generated cohort space",
    "fr": "Espace de cohorte généré",
    "es": "Espacio de cohorte generado",
    "pt": "Espaço de coorte gerado",
    "it": "Spazio di coorte generato",
}
COHORT_MEMBERS = 20  # the first generated members take part in the generated edition


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _array(texts) -> str:
    return "ARRAY[" + ",".join(_literal(text) for text in texts) + "]::text[]"


def _per_language(column: str, values: dict[str, str], default: str = "NULL") -> str:
    whens = " ".join(f"WHEN {_literal(code)} THEN {value}" for code, value in values.items())
    return f"(CASE {column} {whens} ELSE {default} END)"


def _config(column: str) -> str:
    return _per_language(
        column,
        {code: f"{_literal(config)}::regconfig" for code, config in SEARCH_CONFIGS.items()},
        f"{_literal(SIMPLE_CONFIG)}::regconfig",
    )


def _delete_rows(model, ids_sql: str, params) -> None:
    """Delete model rows (ids_sql selects their ids) and the rows pointing at them, in SQL."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for relation in model._meta.related_objects:
            if relation.many_to_many:
                through = relation.through._meta
                columns = [f.column for f in through.fields if f.related_model is model]
                for column in columns:
                    cursor.execute(
                        f"DELETE FROM {through.db_table} WHERE {column} IN ({ids_sql})", params
                    )
                continue
            related = relation.related_model._meta.db_table
            column = relation.field.column
            if relation.on_delete is models.SET_NULL:
                cursor.execute(
                    f"UPDATE {related} SET {column} = NULL WHERE {column} IN ({ids_sql})", params
                )
            elif relation.related_model not in (Post, Topic):
                cursor.execute(f"DELETE FROM {related} WHERE {column} IN ({ids_sql})", params)
        for field in model._meta.many_to_many:
            through = field.remote_field.through._meta
            columns = [f.column for f in through.fields if f.related_model is model]
            for column in columns:
                cursor.execute(
                    f"DELETE FROM {through.db_table} WHERE {column} IN ({ids_sql})", params
                )
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({ids_sql})", params)


def remove_generated() -> None:
    """Delete the generated forum (set-based: hundreds of thousands of posts in seconds)."""
    topics = (
        f"SELECT t.id FROM {Topic._meta.db_table} t JOIN {Category._meta.db_table} c "
        "ON c.id = t.category_id WHERE c.slug LIKE %s"
    )
    posts = f"SELECT p.id FROM {Post._meta.db_table} p WHERE p.topic_id IN ({topics})"
    pattern = [f"{PREFIX}%"]
    with transaction.atomic():
        _delete_rows(Post, posts, pattern)
        _delete_rows(Topic, topics, pattern)
        Category.objects.filter(slug__startswith=PREFIX).delete()
        Edition.objects.filter(slug=COHORT_SLUG).delete()
        get_user_model().objects.filter(username__startswith=MEMBER_PREFIX).delete()


def _members(count: int) -> list[int]:
    user_model = get_user_model()
    user_model.objects.bulk_create(
        [
            user_model(
                username=f"{MEMBER_PREFIX}{n:05d}",
                email=f"{MEMBER_PREFIX}{n:05d}@example.org",
                password="!",
                languages_spoken=[LANGUAGES[n % len(LANGUAGES)]],
            )
            for n in range(1, count + 1)
        ],
        ignore_conflicts=True,
    )
    return list(
        user_model.objects.filter(username__startswith=MEMBER_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _categories(members: list[int]) -> list[int]:
    """Five public categories, then the cohort space of the generated edition (last)."""
    ids = []
    for n in range(1, PUBLIC_CATEGORIES + 1):
        category, _created = Category.objects.get_or_create(
            slug=f"{PREFIX}{n}",
            defaults={
                **{f"name_{code}": name.format(n=n) for code, name in CATEGORY_NAMES.items()},
                "access": Access.PUBLIC,
                "order": 100 + n,
            },
        )
        ids.append(category.pk)
    number = (Edition.objects.aggregate(top=models.Max("number"))["top"] or 0) + 1
    edition = Edition.objects.filter(slug=COHORT_SLUG).first() or Edition.objects.create(
        number=number, slug=COHORT_SLUG, city_en="Generated", country="FR"
    )
    Participation.objects.bulk_create(
        [Participation(user_id=pk, edition=edition) for pk in members[:COHORT_MEMBERS]],
        ignore_conflicts=True,
    )
    cohort, _created = Category.objects.get_or_create(
        slug=COHORT_SLUG,
        defaults={
            **{f"name_{code}": name for code, name in COHORT_NAMES.items()},
            "access": Access.COHORT,
            "order": 100,
        },
    )
    cohort.editions.add(edition)
    return ids + [cohort.pk]


def _gin_indexes() -> list[GinIndex]:
    return [index for index in Post._meta.indexes if isinstance(index, GinIndex)]


def generate_forum(*, topics: int, posts: int, longest: int = 0, members: int = 200) -> dict:
    """Create generated categories, members, topics and posts; returns what was made.

    ``posts`` counts every post, first posts included (at least one per topic).
    """
    topics = max(1, topics)
    posts = max(posts, topics)
    longest = max(0, min(longest, posts - (topics - 1)))
    others = topics - (1 if longest else 0)
    rest = posts - longest
    base, extra = divmod(rest, others) if others else (0, 0)
    rebuild = posts >= REBUILD_INDEXES_FROM
    with transaction.atomic():
        users = _members(members)
        categories = _categories(users)
        gin = _gin_indexes() if rebuild else []
        with connection.schema_editor() as editor:
            for index in gin:
                editor.remove_index(Post, index)
        titles = _per_language(
            "l.language", {code: _array(texts) for code, texts in TITLES.items()}
        )
        sentences = _per_language(
            "t.language", {code: _array(texts) for code, texts in SENTENCES.items()}
        )
        rare = _per_language(
            "y.language", {code: _literal(text) for code, text in RARE_SENTENCES.items()}
        )
        with connection.cursor() as cursor:
            # Topics: the first one is the longest (in a public category); the others go
            # round the categories, the cohort space included. Spread over two years.
            cursor.execute(
                f"""
                INSERT INTO {Topic._meta.db_table} (category_id, title, slug, author_id,
                    language, created_at, pinned, locked, last_post_at, post_count, last_number)
                SELECT CASE WHEN i = 1 THEN (%(categories)s::bigint[])[1]
                            ELSE (%(categories)s::bigint[])[1 + i %% %(ncat)s] END,
                    ({titles})[1 + (i / 5) %% 5] || ' (' || i || ')',
                    'generated-topic-' || i,
                    (%(users)s::bigint[])[1 + i %% %(nusers)s],
                    l.language,
                    now() - make_interval(mins => ((%(topics)s - i + 1)::bigint * 1051200 / %(topics)s)::int
                                               + 60 * 24 * 40),
                    i %% 500 = 2, false, now(), 0,
                    CASE WHEN i = 1 AND %(longest)s > 0 THEN %(longest)s
                         ELSE %(base)s + (CASE WHEN i - %(first)s < %(extra)s THEN 1 ELSE 0 END)
                    END
                FROM generate_series(1, %(topics)s) AS i,
                    LATERAL (SELECT (%(languages)s::text[])[1 + i %% 5] AS language) l
                RETURNING id
                """,
                {"categories": categories, "ncat": len(categories), "users": users,
                 "nusers": len(users), "topics": topics, "longest": longest, "base": base,
                 "extra": extra, "first": 2 if longest else 1, "languages": LANGUAGES},
            )  # fmt: skip
            topic_ids = [row[0] for row in cursor.fetchall()]
            # Posts: two sentences of the topic's language (every seventh reply in the next
            # language), about one in a thousand with the rare subject; a minute apart.
            cursor.execute(
                f"""
                INSERT INTO {Post._meta.db_table} (topic_id, number, author_id, body, body_html,
                    language, created_at, is_hidden, is_deleted, like_count, search_vector)
                SELECT x.topic_id, x.number, x.author_id, x.body,
                    '<p>' || replace(replace(replace(x.body, '&', '&amp;'), '<', '&lt;'),
                                     '>', '&gt;') || '</p>',
                    x.language, x.created_at, false, false, 0,
                    CASE WHEN x.number = 1
                         THEN setweight(to_tsvector({_config("x.language")}, x.title), 'A')
                         ELSE ''::tsvector END
                    || setweight(to_tsvector({_config("x.language")}, x.body), 'B')
                FROM (
                    SELECT y.*, y.pair[1] || ' ' || y.pair[2]
                        || CASE WHEN (y.topic_id + y.number) %% {RARE_EVERY} = 0
                                THEN ' ' || {rare} ELSE '' END AS body
                    FROM (
                        SELECT t.id AS topic_id, n AS number, t.title,
                            (%(users)s::bigint[])[1 + (t.id + n) %% %(nusers)s] AS author_id,
                            CASE WHEN n %% 7 = 0
                                 THEN (%(languages)s::text[])[
                                    1 + (array_position(%(languages)s::text[], t.language)) %% 5]
                                 ELSE t.language END AS language,
                            t.created_at + make_interval(mins => n - 1) AS created_at,
                            ARRAY[({sentences})[1 + (t.id * 7 + n) %% 8],
                                  ({sentences})[1 + (t.id * 3 + n * 5 + 3) %% 8]] AS pair
                        FROM {Topic._meta.db_table} t, generate_series(1, t.last_number) AS n
                        WHERE t.id = ANY(%(topic_ids)s)
                    ) y
                ) x
                """,
                {"users": users, "nusers": len(users), "topic_ids": topic_ids,
                 "languages": LANGUAGES},
            )  # fmt: skip
            made_posts = cursor.rowcount
            # Counters, set-based, from the posts themselves.
            cursor.execute(
                f"""
                UPDATE {Topic._meta.db_table} t SET post_count = s.visible,
                    last_number = s.last_number, last_post_at = s.last_at,
                    last_post_author_id = s.last_author
                FROM (
                    SELECT p.topic_id, count(*) AS visible, max(p.number) AS last_number,
                        max(p.created_at) AS last_at,
                        (array_agg(p.author_id ORDER BY p.number DESC))[1] AS last_author
                    FROM {Post._meta.db_table} p WHERE p.topic_id = ANY(%(topic_ids)s)
                    GROUP BY p.topic_id
                ) s
                WHERE t.id = s.topic_id
                """,
                {"topic_ids": topic_ids},
            )
        if gin:
            with connection.cursor() as cursor:  # check the foreign keys before the DDL
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with connection.schema_editor() as editor:
                for index in gin:
                    editor.add_index(Post, index)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django's foreign keys are
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in (Topic, Post):
            cursor.execute(f"{analyze} {model._meta.db_table}")
    return {
        "topics": len(topic_ids),
        "posts": made_posts,
        "longest_topic": topic_ids[0] if longest else None,
    }
