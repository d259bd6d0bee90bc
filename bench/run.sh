#!/usr/bin/env bash
# Load test of the library on 100,000 generated publications (see bench/README.md):
# (a) a database of its own, migrated and filled by `generate_data`; (b) gunicorn with
# production settings on 127.0.0.1:8100; (c) a warm-up; (d) wrk on the search page (with
# facets), browse pages and publication pages. Prints a Markdown table and writes it into
# bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PUBLICATIONS=${BENCH_PUBLICATIONS:-100000}
PORT=${BENCH_PORT:-8100}
OUT=var/bench
REDIS_DB=9
source bench/common.sh

prepare_database
if [ "$GENERATE" = 1 ]; then
    "$PY" manage.py generate_data --publications "$PUBLICATIONS" --replace | tee "$OUT/generate.log"
fi
COUNT=$("$PY" manage.py shell -v 0 -c \
    "from publications.models import Publication; print(Publication.objects.published().count())")
SLUGS=$("$PY" manage.py shell -v 0 -c "
from publications.models import Publication
rows = Publication.objects.published().order_by('slug').values_list('slug', flat=True)
step = max(len(rows) // 100, 1)
print(' '.join(f'/en/library/{slug}/' for slug in rows[::step][:100]))")

start_server /en/library/

# Scenarios: name | p95 target in ms | signed in (1) or not | paths (requests rotate over them).
SCENARIOS=(
    "Search \`q=cooperatives\` with facets|150|0|/en/library/?q=cooperatives"
    "Search + filters (type, language, theme)|150|0|/en/library/?q=cooperatives&type=country-case-study&language=es&theme=cooperatives"
    "Search, 8 queries in 5 languages|150|0|/en/library/?q=social+finance /fr/library/?q=coop%C3%A9ratives /es/library/?q=econom%C3%ADa+solidaria /pt/library/?q=trabalho+digno /it/library/?q=cooperative+sociali /en/library/?q=%22social+enterprises%22 /en/library/?q=women+-brazil /en/library/?q=cooperatives&page=3"
    "Browse: newest first, facets|150|0|/en/library/"
    "Browse: theme + decade|150|0|/en/library/?theme=social-finance&decade=2010"
    "Publication page (100 different)|30|0|$SLUGS"
)

measure_scenarios "${SLUGS%% *}" "${SCENARIOS[@]}"
write_report "$COUNT published publications" results
