#!/usr/bin/env bash
# Load test of the library on 100,000 generated publications (see bench/README.md):
# (a) a database of its own, migrated and filled by `generate_data`; (b) gunicorn with
# production settings on 127.0.0.1:8100; (c) a warm-up; (d) wrk on the search page (with
# facets), browse pages and publication pages. Prints a Markdown table and writes it into
# bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PUBLICATIONS=${BENCH_PUBLICATIONS:-100000}
GENERATE=${BENCH_GENERATE:-1}              # 0: keep the publications generated earlier
PORT=${BENCH_PORT:-8100}
WORKERS=${BENCH_WORKERS:-4}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-5s}
TIMEOUT=${BENCH_TIMEOUT:-30s}              # slower responses count as errors
UPDATE_README=${BENCH_UPDATE_README:-1}
PY=.venv/bin/python
BASE="http://127.0.0.1:$PORT"
OUT=var/bench
mkdir -p "$OUT"

STARTED_DB=0
GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    if [ "$STARTED_DB" = 1 ]; then
        "$PY" bench/embedded_db.py stop
    fi
}
trap cleanup EXIT

if ! command -v wrk >/dev/null; then
    echo "Installing wrk (Debian package)..."
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
    else
        sudo apt-get install -y -qq wrk >/dev/null
    fi
fi

# (a) A database of its own: DATABASE_URL as given, or an embedded PostgreSQL in
#     var/bench-postgres (never the development one).
if [ -z "${DATABASE_URL:-}" ]; then
    DATABASE_URL=$("$PY" bench/embedded_db.py start)
    STARTED_DB=1
fi
export DATABASE_URL
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false
export LOG_LEVEL=WARNING

"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py compiletranslations >/dev/null
"$PY" manage.py collectstatic --no-input -v 0
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

# (b) gunicorn, as in production (no access log: it would be measured too), with the shared
#     Redis cache when one answers (REDIS_URL, or the local default port).
if [ -z "${REDIS_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    export REDIS_URL=redis://127.0.0.1:6379/9
fi
if [ -n "${REDIS_URL:-}" ]; then  # start cold: no result of an earlier run
    "$PY" manage.py shell -v 0 -c "from django.core.cache import cache; cache.clear()"
fi
.venv/bin/gunicorn collective_brain.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 60); do
    if curl -s -o /dev/null "$BASE/en/library/"; then break; fi
    sleep 1
done

# Scenarios: name | p95 target in ms | paths (requests rotate over them).
SCENARIOS=(
    "Search \`q=cooperatives\` with facets|150|/en/library/?q=cooperatives"
    "Search + filters (type, language, theme)|150|/en/library/?q=cooperatives&type=country-case-study&language=es&theme=cooperatives"
    "Search, 8 queries in 5 languages|150|/en/library/?q=social+finance /fr/library/?q=coop%C3%A9ratives /es/library/?q=econom%C3%ADa+solidaria /pt/library/?q=trabalho+digno /it/library/?q=cooperative+sociali /en/library/?q=%22social+enterprises%22 /en/library/?q=women+-brazil /en/library/?q=cooperatives&page=3"
    "Browse: newest first, facets|150|/en/library/"
    "Browse: theme + decade|150|/en/library/?theme=social-finance&decade=2010"
    "Publication page (100 different)|30|$SLUGS"
)

status_of() { curl -s -o /dev/null -w '%{http_code}' "$BASE$1"; }

# Requests that wrk abandons at the end of a scenario keep gunicorn's workers busy: wait
# until a light request answers quickly again, so scenarios do not measure each other.
drain() {
    local probe=$1
    for _ in $(seq 120); do
        seconds=$(curl -s -o /dev/null -w '%{time_total}' "$BASE$probe")
        if awk -v s="$seconds" 'BEGIN { exit !(s < 0.5) }'; then return; fi
        sleep 1
    done
}
PROBE=${SLUGS%% *}

TABLE="| scenario | p50 (ms) | p95 (ms) | p99 (ms) | requests/s | target p95 | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for scenario in "${SCENARIOS[@]}"; do
    IFS='|' read -r name target paths <<<"$scenario"
    read -r -a list <<<"$paths"
    broken=""
    for path in "${list[@]}"; do
        code=$(status_of "$path")
        if [ "$code" != 200 ]; then broken="HTTP $code on $path"; break; fi
    done
    if [ -n "$broken" ]; then
        echo "skip: $name ($broken)"
        TABLE+=$'\n'"| $name | – | – | – | – | ≤ $target | to be measured ($broken) |"
        continue
    fi
    drain "$PROBE"
    echo "warm-up: $name"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$TIMEOUT" -s bench/report.lua "$BASE" -- "${list[@]}" >/dev/null
    drain "$PROBE"
    echo "measure: $name"
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" -s bench/report.lua "$BASE" -- "${list[@]}" \
        | tee -a "$OUT/wrk.log" | grep '^BENCH')
    value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
    p95=$(value p95_ms)
    verdict=$(awk -v p="$p95" -v t="$target" 'BEGIN { print (p <= t) ? "ok" : "**over**" }')
    errors=$(value errors); non2xx=$(value non2xx)
    if [ "$(value requests)" = 0 ]; then
        TABLE+=$'\n'"| $name | > $DURATION | – | – | 0 | ≤ $target | **over**: no response within $DURATION |"
        continue
    fi
    if [ "$errors" != 0 ] || [ "$non2xx" != 0 ]; then verdict+=" ($errors errors, $non2xx non-2xx)"; fi
    TABLE+=$'\n'"| $name | $(value p50_ms) | $p95 | $(value p99_ms) | $(value rps) | ≤ $target | $verdict |"
done

GENERATED=$(grep -o 'in [0-9.]* s:.*' "$OUT/generate.log" 2>/dev/null | head -1 || true)
SUMMARY="Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg): \
$COUNT published publications; gunicorn $WORKERS workers; cache: ${REDIS_URL:+Redis}${REDIS_URL:+ (shared)}; wrk $THREADS threads, \
$CONNECTIONS connections, $DURATION per scenario after a $WARMUP warm-up.${GENERATED:+ generate_data: $GENERATED}"
REPORT="$SUMMARY"$'\n\n'"$TABLE"
echo
echo "$REPORT" | tee "$OUT/results.md"

if [ "$UPDATE_README" = 1 ]; then
    REPORT="$REPORT" "$PY" - <<'PYTHON'
import os
import re
from pathlib import Path

readme = Path("bench/README.md")
text = readme.read_text(encoding="utf-8")
block = f"<!-- results:start -->\n{os.environ['REPORT']}\n<!-- results:end -->"
text = re.sub(r"<!-- results:start -->.*?<!-- results:end -->", lambda _m: block, text, flags=re.S)
readme.write_text(text, encoding="utf-8")
print("bench/README.md updated.")
PYTHON
fi
