"""Accent-insensitive text-search configurations, one per interface language.

Each cb_<language> configuration copies PostgreSQL's own and runs unaccent before the
stemmer, so "cooperatives" finds "coopératives". cb_simple does the same without stemming,
for names and acronyms.
"""

from django.db import migrations

CONFIGURATIONS = ["simple", "english", "french", "spanish", "portuguese", "italian"]


def forwards_sql():
    statements = []
    for name in CONFIGURATIONS:
        dictionary = "simple" if name == "simple" else f"{name}_stem"
        statements.append(
            f"CREATE TEXT SEARCH CONFIGURATION cb_{name} (COPY = pg_catalog.{name});"
            f"ALTER TEXT SEARCH CONFIGURATION cb_{name} ALTER MAPPING FOR "
            f"hword, hword_part, word WITH unaccent, {dictionary};"
        )
    return "".join(statements)


def backwards_sql():
    return "".join(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS cb_{name};" for name in CONFIGURATIONS)


class Migration(migrations.Migration):
    dependencies = [("collective_brain", "0001_postgres_extensions")]
    operations = [migrations.RunSQL(forwards_sql(), backwards_sql())]
