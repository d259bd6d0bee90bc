# Shared by the load tests (bench/run.sh, bench/forum.sh); sourced, not run. The caller sets
# PORT, OUT (its output folder) and REDIS_DB (the Redis database used when REDIS_URL is
# unset), then sources this file from the project root. It provides, in order of use:
#   prepare_database        a database of its own, production-like settings, migrations
#   start_server PROBE      gunicorn (Redis cache when one answers), ready when PROBE answers
#   measure_scenarios PROBE SCENARIOS...   wrk on each "name|target ms|signed in (0/1)|paths"
#   write_report MARKER     prints the table, keeps it in $OUT and in bench/README.md
# Settings: BENCH_GENERATE, BENCH_WORKERS, BENCH_THREADS, BENCH_CONNECTIONS, BENCH_DURATION,
# BENCH_WARMUP, BENCH_TIMEOUT, BENCH_UPDATE_README (see bench/README.md).

GENERATE=${BENCH_GENERATE:-1}              # 0: keep the data generated earlier
WORKERS=${BENCH_WORKERS:-4}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
DURATION=${BENCH_DURATION:-20s}
WARMUP=${BENCH_WARMUP:-5s}
TIMEOUT=${BENCH_TIMEOUT:-30s}              # slower responses count as errors
UPDATE_README=${BENCH_UPDATE_README:-1}
PY=.venv/bin/python
BASE="http://127.0.0.1:$PORT"
SESSION=""                                 # a session cookie for signed-in scenarios
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
prepare_database() {
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
}

# (b) gunicorn, as in production (no access log: it would be measured too), with the shared
#     Redis cache when one answers (REDIS_URL, or the local default port).
start_server() {
    local probe=$1
    if [ -z "${REDIS_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
        export REDIS_URL=redis://127.0.0.1:6379/$REDIS_DB
    fi
    if [ -n "${REDIS_URL:-}" ]; then  # start cold: nothing cached by an earlier run
        "$PY" manage.py shell -v 0 -c "from django.core.cache import cache; cache.clear()"
    fi
    .venv/bin/gunicorn collective_brain.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
        --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
    GUNICORN_PID=$!
    for _ in $(seq 60); do
        if curl -s -o /dev/null "$BASE$probe"; then break; fi
        sleep 1
    done
}

status_of() {
    curl -s -o /dev/null -w '%{http_code}' ${2:+-H "Cookie: sessionid=$SESSION"} "$BASE$1"
}

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

# (c) and (d): a warm-up, then the measure, per scenario; the rows go into TABLE.
measure_scenarios() {
    local probe=$1 scenario name target signed paths path code broken line p95 verdict
    local errors non2xx
    shift
    LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
    TABLE="| scenario | p50 (ms) | p95 (ms) | p99 (ms) | requests/s | target p95 | verdict |
| --- | ---: | ---: | ---: | ---: | ---: | --- |"
    for scenario in "$@"; do
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
        drain "$probe"
        echo "warm-up: $name"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout "$TIMEOUT" "${header[@]}" \
            -s bench/report.lua "$BASE" -- "${list[@]}" >/dev/null
        drain "$probe"
        echo "measure: $name"
        line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$TIMEOUT" "${header[@]}" \
            -s bench/report.lua "$BASE" -- "${list[@]}" | tee -a "$OUT/wrk.log" | grep '^BENCH')
        value() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$line"; }
        if [ "$(value requests)" = 0 ]; then
            TABLE+=$'\n'"| $name | > $DURATION | – | – | 0 | ≤ $target | **over**: no response within $DURATION |"
            continue
        fi
        p95=$(value p95_ms)
        verdict=$(awk -v p="$p95" -v t="$target" 'BEGIN { print (p <= t) ? "ok" : "**over**" }')
        errors=$(value errors); non2xx=$(value non2xx)
        if [ "$errors" != 0 ] || [ "$non2xx" != 0 ]; then verdict+=" ($errors errors, $non2xx non-2xx)"; fi
        TABLE+=$'\n'"| $name | $(value p50_ms) | $p95 | $(value p99_ms) | $(value rps) | ≤ $target | $verdict |"
    done
}

# The run's summary line ($1: what was measured), the table, and the README section between
# <!-- MARKER:start --> and <!-- MARKER:end --> ($2).
write_report() {
    local data=$1 marker=$2 generated cache
    generated=$(grep -o 'in [0-9.]* s' "$OUT/generate.log" 2>/dev/null | head -1 || true)
    cache=${REDIS_URL:+Redis (shared)}
    REPORT="Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) CPU(s), load average $(cut -d' ' -f1-3 /proc/loadavg) \
(at the end; $LOAD_START at the start): $data; gunicorn $WORKERS workers; cache: ${cache:-per-worker memory}; \
wrk $THREADS threads, $CONNECTIONS connections, $DURATION per scenario after a $WARMUP warm-up.\
${generated:+ generate_data took ${generated#in }.}"$'\n\n'"$TABLE"
    echo
    echo "$REPORT" | tee "$OUT/results.md"
    if [ "$UPDATE_README" = 1 ]; then
        REPORT="$REPORT" MARKER="$marker" "$PY" - <<'PYTHON'
import os
import re
from pathlib import Path

readme = Path("bench/README.md")
marker = os.environ["MARKER"]
text = readme.read_text(encoding="utf-8")
block = f"<!-- {marker}:start -->\n{os.environ['REPORT']}\n<!-- {marker}:end -->"
pattern = rf"<!-- {marker}:start -->.*?<!-- {marker}:end -->"
readme.write_text(re.sub(pattern, lambda _m: block, text, flags=re.S), encoding="utf-8")
print(f"bench/README.md updated ({marker}).")
PYTHON
    fi
}
