import django.contrib.postgres.indexes
from django.db import migrations

import publications.models

# Every pair of words side by side in a vector, as one lexeme "first second" (a space
# never occurs inside a lexeme, so pairs and words cannot be confused). Derived from the
# vector's own positions, so `'a b'` is in it exactly when `'a' <-> 'b'` matches it.
# Pairs of very long words are left out (a lexeme is at most 2 KB); the query side leaves
# such phrases to the full vector. Computing the pairs costs about a millisecond per
# document: the high COST keeps the planner on the index instead of calling it per row.
SQL = """
CREATE FUNCTION publications_phrase_pairs(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 SET search_path FROM CURRENT AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme)),
                    ''::tsvector)
      FROM (SELECT u.lexeme, p FROM unnest(v) u, unnest(u.positions) p) a
      JOIN (SELECT u.lexeme, p FROM unnest(v) u, unnest(u.positions) p) b ON b.p = a.p + 1
     WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 1000
$$;

CREATE FUNCTION publications_phrase_vector(v tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 SET search_path FROM CURRENT AS $$
    SELECT strip(v) || publications_phrase_pairs(v)
$$;
"""

REVERSE_SQL = """
DROP FUNCTION publications_phrase_vector(tsvector);
DROP FUNCTION publications_phrase_pairs(tsvector);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0002_search_document"),
    ]

    operations = [
        migrations.RunSQL(SQL, REVERSE_SQL),
        migrations.AddIndex(
            model_name="searchdocument",
            index=django.contrib.postgres.indexes.GinIndex(
                publications.models.phrase_vector(), name="search_document_phrase_idx"
            ),
        ),
    ]
