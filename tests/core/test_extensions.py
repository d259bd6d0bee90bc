from django.db import connection


def test_migrations_install_trigram_and_unaccent(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}

    assert {"pg_trgm", "unaccent"} <= extensions


def test_language_search_configurations_ignore_accents(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('cb_french', 'Les coopératives') @@ "
            "websearch_to_tsquery('cb_french', 'cooperatives')"
        )
        assert cursor.fetchone()[0] is True
