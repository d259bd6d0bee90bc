#!/usr/bin/env bash
# Load test of the forum on 20,000 generated topics and 500,000 posts (see bench/README.md,
# "Forum load test"): (a) a database of its own, migrated and filled by
# `generate_data --topics --posts`; (b) gunicorn with production settings on 127.0.0.1:8101;
# (c) a warm-up; (d) wrk on the forum index, a category's topic list, topic pages, the first
# and last pages of the 50,000-post topic and forum search. Prints a Markdown table and
# writes it into the forum section of bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TOPICS=${BENCH_TOPICS:-20000}
POSTS=${BENCH_POSTS:-500000}
LONGEST=${BENCH_LONGEST:-50000}
GENERATE=${BENCH_GENERATE:-1}              # 0: keep the forum generated earlier
PORT=${BENCH_PORT:-8101}
WORKERS=${BENCH_WORKERS:-4}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-5s}
TIMEOUT=${BENCH_TIMEOUT:-30s}              # slower responses count as errors
UPDATE_README=${BENCH_UPDATE_README:-1}
PY=.venv/bin/python
BASE="http://127.0.0.1:$PORT"
OUT=var/bench-forum
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
    "$PY" manage.py generate_data --topics "$TOPICS" --posts "$POSTS" --longest "$LONGEST" \
        --replace | tee "$OUT/generate.log"
fi

# The pages to request, read from the generated forum: a category's first and a deep page,
# 100 different topics, the longest topic's first and last pages; and a signed-in
# participant of the generated edition (a session cookie) for the cohort space.
eval "$("$PY" manage.py shell -v 0 -c "
import shlex
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from forum.generate import COHORT_SLUG
from forum.models import TOPICS_PER_PAGE, Category, Topic
topics = Topic.objects.filter(category__slug__startswith='generated-')
longest = topics.order_by('-last_number').first()
category = longest.category
pages = (category.topics.count() + TOPICS_PER_PAGE - 1) // TOPICS_PER_PAGE
public = topics.filter(category__access='public').exclude(pk=longest.pk).order_by('pk')
step = max(public.count() // 100, 1)
paths = [f'/en/forum/t/{pk}-{slug}/' for pk, slug in public.values_list('pk', 'slug')[::step][:100]]
cohort = Category.objects.get(slug=COHORT_SLUG)
cohort_topics = cohort.topics.order_by('pk').values_list('pk', 'slug')
cstep = max(len(cohort_topics) // 50, 1)
cohort_paths = [f'/en/forum/t/{pk}-{slug}/' for pk, slug in cohort_topics[::cstep][:50]]
member = cohort.editions.first().participations.select_related('user').first().user
session = SessionStore()
session[SESSION_KEY] = str(member.pk)
session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
session[HASH_SESSION_KEY] = member.get_session_auth_hash()
session.create()
values = {
    'CATEGORY': f'/en/forum/{category.slug}/',
    'DEEP_PAGE': str(max(1, pages * 9 // 10)),
    'TOPIC_PATHS': ' '.join(paths),
    'COHORT_PATHS': ' '.join(cohort_paths),
    'LONGEST': longest.get_absolute_url(),
    'LAST_PAGE': str(longest.num_pages),
    'LONGEST_POSTS': str(longest.post_count),
    'SESSION': session.session_key,
    'COUNTS': f'{topics.count()} topics, '
              f'{sum(topics.values_list(\"post_count\", flat=True))} posts',
}
for name, value in values.items():
    print(f'{name}={shlex.quote(value)}')
")"

# (b) gunicorn, as in production (no access log: it would be measured too), with the shared
#     Redis cache when one answers (REDIS_URL, or the local default port).
if [ -z "${REDIS_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    export REDIS_URL=redis://127.0.0.1:6379/8
fi
if [ -n "${REDIS_URL:-}" ]; then  # start cold: nothing cached by an earlier run
    "$PY" manage.py shell -v 0 -c "from django.core.cache import cache; cache.clear()"
fi
.venv/bin/gunicorn collective_brain.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
GUNICORN_PID=$!
for _ in $(seq 60); do
    if curl -s -o /dev/null "$BASE/en/forum/"; then break; fi
    sleep 1
done

# Scenarios: name | p95 target in ms | signed in (1) or not | paths (requests rotate over them).
SCENARIOS=(
    "Forum index|50|0|/en/forum/"
    "Category topic list, page 1|50|0|$CATEGORY"
    "Category topic list, page $DEEP_PAGE|50|0|$CATEGORY?page=$DEEP_PAGE"
    "Topic page (100 different topics)|50|0|$TOPIC_PATHS"
    "Longest topic ($LONGEST_POSTS posts), first page|50|0|$LONGEST"
    "Longest topic, last page ($LAST_PAGE)|50|0|$LONGEST?page=$LAST_PAGE"
    "Signed-in participant: cohort topic pages (50)|50|1|$COHORT_PATHS"
    "Signed-in participant: longest topic, last page|50|1|$LONGEST?page=$LAST_PAGE"
    "Forum search, common word (\`cooperatives\`)|50|0|/en/forum/search/?q=cooperatives"
    "Forum search, rare word (\`beekeeping\`)|50|0|/en/forum/search/?q=beekeeping"
    "Forum search, common word, signed in, filtered by language|50|1|/en/forum/search/?q=cooperatives&language=fr"
)

status_of() {
    curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Cookie: sessionid=$SESSION"} "$BASE$1"
}

# Requests that wrk abandons at the end of a scenario keep gunicorn's workers busy: wait
# until a light request answers quickly again, so scenarios do not measure each other.
drain() {
    for _ in $(seq 120); do
        seconds=$(curl -s -o /dev/null -w '%{time_total}' "$BASE/en/forum/")
        if awk -v s="$seconds" 'BEGIN { exit !(s < 0.5) }'; then return; fi
        sleep 1
    done
}

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CACHE=${REDIS_URL:+Redis (shared)}
TABLE="| scenario | p50 (ms) | p95 (ms) | p99 (ms) | requests/s | target p95 | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for scenario in "${SCENARIOS[@]}"; do
    IFS='|' read -r name target signed paths <<<"$scenario"
    read -r -a list <<<"$paths"
    header=()
    if [ "$signed" = 1 ]; then header=(-H "Cookie: sessionid=$SESSION"); fi
    broken=""
    for path in "${list[@]}"; do
        code=$(status_of "$path" "${signed#0}")
        if [ "$code" != 200 ]; then broken="HTTP $code on $path"; break; fi
    done
    if [ -n "$broken" ]; then
        echo "skip: $name ($broken)"
        TABLE+=$'\n'"| $name | – | – | – | – | ≤ $target | to be measured ($broken) |"
        continue
    fi
    drain
    echo "warm-up: $name"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$TIMEOUT" "${header[@]}" \
        -s bench/report.lua "$BASE" -- "${list[@]}" >/dev/null
    drain
    echo "measure: $name"
    line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" "${header[@]}" \
        -s bench/report.lua "$BASE" -- "${list[@]}" | tee -a "$OUT/wrk.log" | grep '^BENCH')
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

GENERATED=$(grep -o 'in [0-9.]* s$' "$OUT/generate.log" 2>/dev/null | head -1 || true)
SUMMARY="Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg) \
(at the end; $LOAD_START at the start): $COUNTS; gunicorn $WORKERS workers; cache: ${CACHE:-per-worker memory}; \
wrk $THREADS threads, $CONNECTIONS connections, $DURATION per scenario after a $WARMUP warm-up.${GENERATED:+ generate_data took ${GENERATED#in }.}"
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
block = f"<!-- forum-results:start -->\n{os.environ['REPORT']}\n<!-- forum-results:end -->"
text = re.sub(
    r"<!-- forum-results:start -->.*?<!-- forum-results:end -->", lambda _m: block, text, flags=re.S
)
readme.write_text(text, encoding="utf-8")
print("bench/README.md updated (forum section).")
PYTHON
fi
