"""An index for the participants directory's search by name or organisation.

unaccent() is only STABLE (its dictionary could change), so an index cannot call it; the
IMMUTABLE wrapper public.cb_unaccent() names its dictionary explicitly and may be indexed.
"""

import accounts.models
import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_digest'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('collective_brain', '0001_postgres_extensions'),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE OR REPLACE FUNCTION public.cb_unaccent(text) RETURNS text "
            "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
            "AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;",
            "DROP FUNCTION IF EXISTS public.cb_unaccent(text);",
        ),
        migrations.AddIndex(
            model_name='user',
            index=django.contrib.postgres.indexes.GinIndex(django.contrib.postgres.indexes.OpClass(django.db.models.functions.text.Lower(accounts.models.ImmutableUnaccent(django.db.models.functions.text.Concat(models.F('display_name'), models.Value(' '), models.F('first_name'), models.Value(' '), models.F('last_name'), models.Value(' '), models.F('username'), models.Value(' '), models.F('organisation')))), name='gin_trgm_ops'), fastupdate=False, name='accounts_user_search_trgm'),
        ),
    ]
