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
PORT=${BENCH_PORT:-8101}
OUT=var/bench-forum
REDIS_DB=8
source bench/common.sh

prepare_database
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
from importlib import import_module
from django.conf import settings
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
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
    'COHORT_LIST': f'/en/forum/{cohort.slug}/',
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

start_server /en/forum/

# Scenarios: name | p95 target in ms | signed in (1) or not | paths (requests rotate over them).
SCENARIOS=(
    "Forum index|50|0|/en/forum/"
    "Category topic list, page 1|50|0|$CATEGORY"
    "Category topic list, page $DEEP_PAGE|50|0|$CATEGORY?page=$DEEP_PAGE"
    "Topic page (100 different topics)|50|0|$TOPIC_PATHS"
    "Longest topic ($LONGEST_POSTS posts), first page|50|0|$LONGEST"
    "Longest topic, last page ($LAST_PAGE)|50|0|$LONGEST?page=$LAST_PAGE"
    "Signed-in participant: forum index|50|1|/en/forum/"
    "Signed-in participant: cohort space topic list, pages 1-5|50|1|$COHORT_LIST $COHORT_LIST?page=2 $COHORT_LIST?page=3 $COHORT_LIST?page=4 $COHORT_LIST?page=5"
    "Signed-in participant: cohort topic pages (50)|50|1|$COHORT_PATHS"
    "Signed-in participant: longest topic, last page|50|1|$LONGEST?page=$LAST_PAGE"
    "Forum search, common word (\`cooperatives\`)|150|0|/en/forum/search/?q=cooperatives"
    "Forum search, rare word (\`beekeeping\`)|150|0|/en/forum/search/?q=beekeeping"
    "Forum search, common word, signed in, filtered by language|150|1|/en/forum/search/?q=cooperatives&language=fr"
)

measure_scenarios /en/forum/ "${SCENARIOS[@]}"
write_report "$COUNTS" forum-results
