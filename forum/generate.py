"""Generate a large forum for benchmarks: set-based SQL, a few seconds per 100,000 posts.

    python manage.py generate_forum_data --topics 20000 --posts 500000 [--longest 50000]

Everything generated is marked: categories' slugs start with "generated-", members' user
names with "gen-forum-". --replace removes an earlier generated forum first. One topic (the
"longest") gets --longest posts; the others share the rest evenly. Posts are plain sentences
in the five languages, indexed with their language's search configuration.
"""

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from collective_brain.search import SEARCH_CONFIGS
from forum.models import Access, Category, Topic

SENTENCES = {
    "en": ["Cooperatives share their experience of public procurement.", "How do you finance a social enterprise in its first years?", "Our network trains young people in solidarity finance."],
    "fr": ["Les coopératives partagent leur expérience des marchés publics.", "Comment financer une entreprise sociale à ses débuts ?", "Notre réseau forme des jeunes à la finance solidaire."],
    "es": ["Las cooperativas comparten su experiencia con la contratación pública.", "¿Cómo se financia una empresa social en sus primeros años?", "Nuestra red forma a jóvenes en finanzas solidarias."],
    "pt": ["As cooperativas partilham a sua experiência de contratação pública.", "Como financiar uma empresa social nos primeiros anos?", "A nossa rede forma jovens em finanças solidárias."],
    "it": ["Le cooperative condividono la loro esperienza negli appalti pubblici.", "Come si finanzia un’impresa sociale nei primi anni?", "La nostra rete forma i giovani alla finanza solidale."],
}  # fmt: skip
LANGUAGES = list(SENTENCES)


def remove_generated() -> None:
    with transaction.atomic():
        topics = Topic.objects.filter(category__slug__startswith="generated-")
        topics.delete()
        Category.objects.filter(slug__startswith="generated-").delete()
        get_user_model().objects.filter(username__startswith="gen-forum-").delete()


def generate_forum(*, topics: int, posts: int, longest: int = 0, members: int = 200) -> dict:
    """Create generated categories, members, topics and posts; returns what was made."""
    topics = max(1, topics)
    longest = min(longest, posts)
    per_topic = max(1, (posts - longest) // max(1, topics - (1 if longest else 0)))
    with transaction.atomic():
        user_model = get_user_model()
        user_model.objects.bulk_create(
            [
                user_model(username=f"gen-forum-{n:05d}", email=f"gen-forum-{n:05d}@example.org", password="!")
                for n in range(1, members + 1)
            ],
            ignore_conflicts=True,
        )  # fmt: skip
        categories = []
        for n in range(1, 6):
            category, _ = Category.objects.get_or_create(
                slug=f"generated-{n}",
                defaults={"name_en": f"Generated category {n}", "access": Access.PUBLIC, "order": 100 + n},
            )  # fmt: skip
            categories.append(category.pk)
        languages = "ARRAY[" + ",".join(f"'{code}'" for code in LANGUAGES) + "]"
        config_case = "CASE p.language " + " ".join(
            f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in SEARCH_CONFIGS.items()
        ) + " ELSE 'cb_simple'::regconfig END"  # fmt: skip
        sentences = "CASE p.language " + " ".join(
            f"WHEN '{code}' THEN ARRAY[" + ",".join("'" + s.replace("'", "''") + "'" for s in texts) + "]"
            for code, texts in SENTENCES.items()
        ) + " END"  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT array_agg(id ORDER BY id) FROM accounts_user WHERE username LIKE 'gen-forum-%%'"
            )
            users = cursor.fetchone()[0]
            cursor.execute(
                f"""
                INSERT INTO forum_topic (category_id, title, slug, author_id, language, created_at,
                    pinned, locked, last_post_at, post_count, last_number)
                SELECT (%(categories)s::bigint[])[1 + i %% %(ncat)s],
                    'Generated topic ' || i, 'generated-topic-' || i,
                    (%(users)s::bigint[])[1 + i %% %(nusers)s],
                    ({languages})[1 + i %% 5],
                    now() - make_interval(hours => %(topics)s - i + 1),
                    false, false, now(), 0,
                    CASE WHEN i = 1 AND %(longest)s > 0 THEN %(longest)s ELSE %(per_topic)s END
                FROM generate_series(1, %(topics)s) AS i
                RETURNING id
                """,
                {"categories": categories, "ncat": len(categories), "users": users,
                 "nusers": len(users), "topics": topics, "longest": longest,
                 "per_topic": per_topic},
            )  # fmt: skip
            topic_ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                """
                INSERT INTO forum_post (topic_id, number, author_id, body, body_html, language,
                    created_at, is_hidden, is_deleted, like_count)
                SELECT t.id, n, (%(users)s::bigint[])[1 + (t.id + n) %% %(nusers)s],
                    '', '', t.language, t.created_at + make_interval(secs => n), false, false, 0
                FROM forum_topic t, generate_series(1, t.last_number) AS n
                WHERE t.id = ANY(%(topic_ids)s)
                """,
                {"users": users, "nusers": len(users), "topic_ids": topic_ids},
            )  # fmt: skip
            cursor.execute(
                f"""
                UPDATE forum_post p SET body = b.body, body_html = '<p>' || b.body || '</p>',
                    search_vector = to_tsvector({config_case}, b.body)
                FROM (SELECT p2.id, ({sentences.replace("p.language", "p2.language")})[1 + p2.number %% 3]
                      || ' #' || p2.number AS body
                      FROM forum_post p2 WHERE p2.topic_id = ANY(%(topic_ids)s)) b
                WHERE p.id = b.id
                """,
                {"topic_ids": topic_ids},
            )  # fmt: skip
            cursor.execute(
                """
                UPDATE forum_topic t SET post_count = t.last_number,
                    last_post_at = t.created_at + make_interval(secs => t.last_number),
                    last_post_author_id = t.author_id
                WHERE t.id = ANY(%(topic_ids)s)
                """,
                {"topic_ids": topic_ids},
            )
            cursor.execute("ANALYZE forum_topic")
            cursor.execute("ANALYZE forum_post")
    return {"topics": len(topic_ids), "longest_topic": topic_ids[0] if longest else None}
