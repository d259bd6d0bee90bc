"""Bulk-generate realistic published publications, for benchmarks and load tests.

    python manage.py generate_data --publications 100000 [--batch 1000] [--seed 42] [--replace]
    python manage.py generate_data --topics 20000 --posts 500000 [--longest 50000] [--replace]

The forum options (--topics, --posts, --longest) generate a forum instead, or as well: see
forum/generate.py. What follows is about publications.

Every generated publication is marked: its slug starts with "generated-" and its versions
link to https://example.org/docs/<slug>-<language>.pdf (no files are stored). Titles and
summaries exist in the five languages; each publication has 1 to 3 language versions whose
"extracted" text (a few KB) is made of real sentences of the demo library in that language.

Runs are additive: each run appends N publications numbered after the last generated one
(generated-000001, generated-000002, ...), so running it twice gives 2N. --replace deletes the
earlier generated publications first (the demo and curated ones are never touched). The same
--seed and --batch from the same starting number give the same content. With --jobs > 1 the
workers commit separately: after an interrupted run, start again with --replace.

Rows are written in batches with COPY (each field prepared by Django, as bulk_create would),
by --jobs database connections in parallel (threads; default: the CPU count). Each worker
then computes the search vectors of all its rows with one set-based UPDATE:
publications.services.INDEX_SQL applied through a temporary table of metadata instead of one
publication at a time. Finally the "did you mean" word list is refreshed and the tables are
analysed. Inside an outer transaction (tests) a single worker does everything.
"""

import datetime
import json
import os
import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone, translation
from django_countries import countries as country_names

from publications.demo import load_content, seed_taxonomy
from publications.models import (
    Author,
    Authorship,
    DatePrecision,
    ExtractionStatus,
    LanguageVersion,
    Publication,
    PublicationStatus,
    Region,
    SearchDocument,
)
from publications.services import INDEX_SQL, search_terms_refresh

VOCABULARY_FILE = (
    Path(settings.BASE_DIR) / "collective_brain" / "demo_content" / "generated_vocabulary.json"
)
SLUG_PREFIX = "generated-"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
METADATA_TABLE = "generated_publication_metadata"  # temporary, one per connection


def bulk_index_sql(metadata_table: str) -> str:
    """INDEX_SQL for all rows of metadata_table(publication_id, metadata) in one UPDATE."""
    head, where, rest = INDEX_SQL.rpartition(" WHERE p.id = %(id)s")
    if not where or rest or head.count("%(metadata)s") != 1:
        raise CommandError("publications.services.INDEX_SQL changed shape; update generate_data.")
    return (
        head.replace("%(metadata)s", "m.metadata")
        + f" FROM {metadata_table} m WHERE m.publication_id = p.id"
    )


def delete_generated() -> int:
    """Delete the generated publications and their rows (SQL: no signals, no task storm)."""
    ids = f"SELECT id FROM {Publication._meta.db_table} WHERE slug LIKE %s"
    statements = []
    for relation in Publication._meta.related_objects:
        if relation.many_to_many:  # links only (news items, Academy sessions...): as Django does
            through = relation.through._meta
            columns = [
                field.column for field in through.fields if field.related_model is Publication
            ]
            statements.append((through.db_table, columns))
        elif relation.related_model._meta.app_label == "publications":
            statements.append((relation.related_model._meta.db_table, [relation.field.column]))
        # Another app's own rows pointing at a generated publication: PostgreSQL refuses.
    for field in Publication._meta.many_to_many:
        through = field.remote_field.through._meta
        columns = [field.column for field in through.fields if field.related_model is Publication]
        statements.append((through.db_table, columns))
    with connection.cursor() as cursor:
        for table, columns in dict(statements).items():
            condition = " OR ".join(f"{column} IN ({ids})" for column in columns)
            cursor.execute(
                f"DELETE FROM {table} WHERE {condition}", [f"{SLUG_PREFIX}%"] * len(columns)
            )
        cursor.execute(
            f"DELETE FROM {Publication._meta.db_table} WHERE slug LIKE %s", [f"{SLUG_PREFIX}%"]
        )
        return cursor.rowcount


def last_generated_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT max(substring(slug FROM %s)::bigint) FROM {Publication._meta.db_table} "
            "WHERE slug LIKE %s",
            [f"^{SLUG_PREFIX}([0-9]+)$", f"{SLUG_PREFIX}%"],
        )
        return cursor.fetchone()[0] or 0


def copy_rows(model, instances, *, with_pk: bool = False) -> None:
    """Insert model instances with COPY, each field prepared by Django as save() would."""
    fields = [field for field in model._meta.concrete_fields if with_pk or not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for instance in instances:
            copy.write_row(
                [
                    field.get_db_prep_save(field.pre_save(instance, True), connection)
                    for field in fields
                ]
            )


def _sentences(paragraphs) -> list[str]:
    return [part for paragraph in paragraphs for part in re.split(r"(?<=[.!?])\s+", paragraph)]


class Generator:
    """Builds publications, versions and their links from a seeded random generator."""

    def __init__(self):
        self.vocabulary = json.loads(VOCABULARY_FILE.read_text(encoding="utf-8"))
        content = load_content()
        self.types, self.themes, _changed = seed_taxonomy(content)
        by_slug = {row["slug"]: row for row in content["publications"]}
        self.by_language = {
            code: _sentences(
                paragraph
                for row in content["publications"]
                for paragraph in row["versions"].get(code, [])
            )
            for code in LANGUAGES
        }
        self.topics = []
        for topic in self.vocabulary["topics"]:
            sources = {
                code: _sentences(
                    paragraph
                    for slug in topic["sources"]
                    for paragraph in by_slug[slug]["versions"].get(code, [])
                )
                for code in LANGUAGES
            }
            self.topics.append({**topic, "sentences": sources})
        self.curated = [slug for slug, theme in self.themes.items() if theme.sdg_number is None]
        self.regions = {
            region: codes for region, codes in self.vocabulary["countries"].items() if codes
        }
        self.country_names, self.region_labels = {}, {}
        for code in LANGUAGES:
            with translation.override(code):
                self.country_names[code] = {
                    country: str(country_names.name(country))
                    for codes in self.regions.values()
                    for country in codes
                }
                self.region_labels[code] = {value: str(Region(value).label) for value in Region}
        self.authors = self._authors()

    def _authors(self) -> dict[str, Author]:
        people = [
            Author(name=f"{family}, {given}", kind=Author.Kind.PERSON)
            for family in self.vocabulary["family_names"]
            for given in self.vocabulary["given_names"]
        ]
        organisations = [
            Author(name=name, kind=Author.Kind.ORGANISATION)
            for name in self.vocabulary["organisations"]
        ]
        Author.objects.bulk_create(people + organisations, ignore_conflicts=True)
        names = {author.name for author in people + organisations}
        found = {author.name: author for author in Author.objects.filter(name__in=names)}
        self.people = [found[author.name] for author in people]
        self.organisations = [found[author.name] for author in organisations]
        return found

    # One publication -------------------------------------------------------------------

    def publication(self, number: int, rng: random.Random) -> dict:
        topic = rng.choice(self.topics)
        scope = rng.random()
        countries, regions = [], []
        if scope < 0.55:
            region = rng.choice(list(self.regions))
            countries = [rng.choice(self.regions[region])]
            regions = []
        elif scope < 0.70:
            region = rng.choice(list(self.regions))
            countries = rng.sample(self.regions[region], k=min(rng.randint(2, 3), 3))
        elif scope < 0.85:
            regions = [rng.choice(list(self.regions))]
        else:
            regions = [Region.GLOBAL.value]
        if countries:
            place = {
                code: ", ".join(self.country_names[code][c] for c in countries)
                for code in LANGUAGES
            }
            pattern = rng.choice([1, 2])
        elif regions != [Region.GLOBAL.value]:
            place = {code: self.vocabulary["regions"][regions[0]][code] for code in LANGUAGES}
            pattern = rng.choice([1, 6])
        else:
            place = None
            pattern = rng.choice([0, 3, 4, 5])
        template = self.vocabulary["titles"][pattern]
        picked = rng.sample(range(len(self.vocabulary["sentences"])), k=rng.randint(2, 3))
        titles, summaries = {}, {}
        for code in LANGUAGES:
            values = {
                "topic": topic["name"][code],
                "place": place[code] if place else "",
                "number": number,
            }
            titles[code] = template[code].format(**values)[:400]
            parts = [self.vocabulary["opener"][code].format(**values)]
            parts += [self.vocabulary["sentences"][index][code] for index in picked]
            if place:
                parts.append(self.vocabulary["coverage"][code].format(**values))
            summaries[code] = " ".join(parts)
        if countries and len(countries) == 1 and rng.random() < 0.5:
            type_slug = "country-case-study"
        else:
            type_slug = rng.choice(
                ["multi-country-study", "sstc-study", "report", "report", "toolkit",
                 "sse-academy-reader", "country-case-study"]
            )  # fmt: skip
        themes = list(
            dict.fromkeys(topic["themes"] + rng.sample(self.curated, k=rng.randint(0, 1)))
        )
        year = min(1995 + int(rng.triangular(0, 31, 28)), 2025)
        precision = rng.choices(
            [DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.DAY], weights=[7, 2, 1]
        )[0]
        month = 1 if precision == DatePrecision.YEAR else rng.randint(1, 12)
        day = rng.randint(1, 28) if precision == DatePrecision.DAY else 1
        date = datetime.date(year, month, day)
        if rng.random() < 0.3:
            authors = [rng.choice(self.organisations)]
        else:
            authors = rng.sample(self.people, k=rng.choices([1, 2, 3], weights=[5, 3, 2])[0])
        languages = self._languages(countries, regions, rng)
        return {
            "number": number, "topic": topic, "titles": titles, "summaries": summaries,
            "countries": countries, "regions": regions, "type": type_slug, "themes": themes,
            "date": date, "precision": precision, "authors": authors, "languages": languages,
        }  # fmt: skip

    def _languages(self, countries, regions, rng: random.Random) -> list[str]:
        count = rng.choices([1, 2, 3], weights=[5, 3.5, 1.5])[0]
        region = regions[0] if regions else None
        for name, codes in self.regions.items():
            if countries and countries[0] in codes:
                region = name
        likely = {
            "africa": ["fr", "en"], "americas": ["es", "pt", "en"],
            "europe-central-asia": ["en", "fr", "it", "es", "pt"],
        }.get(region, ["en"])  # fmt: skip
        chosen = ["en"] if rng.random() < 0.75 else [rng.choice(likely)]
        while len(chosen) < count:
            candidate = rng.choice(likely + LANGUAGES)
            if candidate not in chosen:
                chosen.append(candidate)
        return chosen

    def text(self, row: dict, language: str, rng: random.Random) -> str:
        """A few KB of real sentences in the language, mostly from the topic's sources."""
        own = row["topic"]["sentences"][language]
        pool = self.by_language[language]
        target = rng.randint(1200, 3200)
        paragraphs = [row["titles"][language], row["summaries"][language]]
        size = sum(len(part) for part in paragraphs)
        while size < target:
            paragraph = " ".join(
                rng.choice(own if own and rng.random() < 0.6 else pool)
                for _ in range(rng.randint(3, 5))
            )
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        return "\n\n".join(paragraphs)

    def metadata(self, row: dict) -> str:
        """What services._metadata_text() would give for this publication."""
        # In the order of the querysets _metadata_text() reads (Author and Theme orderings).
        parts = sorted(author.name for author in row["authors"])
        parts += [Publication._meta.get_field("publisher").default]
        themes = sorted(
            (self.themes[slug] for slug in row["themes"]),
            key=lambda theme: (
                theme.order,
                theme.sdg_number is None,
                theme.sdg_number,
                theme.slug,
            ),
        )
        for code in LANGUAGES:
            parts.append(getattr(self.types[row["type"]], f"name_{code}") or "")
            parts += [getattr(theme, f"name_{code}") or "" for theme in themes]
            parts += [self.country_names[code][country] for country in row["countries"]]
            parts += [self.region_labels[code][region] for region in row["regions"]]
        parts += row["countries"]
        return " ".join(part for part in parts if part)


class Command(BaseCommand):
    help = "Bulk-generate N published publications (slugs generated-...) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--publications", type=int, help="how many publications to add")
        parser.add_argument("--topics", type=int, help="forum topics to add (with --posts)")
        parser.add_argument(
            "--posts", type=int, help="forum posts in all, first posts included (with --topics)"
        )
        parser.add_argument(
            "--longest",
            type=int,
            help="posts in the forum's longest topic (default: a tenth of --posts)",
        )
        parser.add_argument("--batch", type=int, default=1000, help="rows per COPY batch")
        parser.add_argument("--seed", type=int, default=42, help="random seed")
        parser.add_argument(
            "--replace", action="store_true", help="delete earlier generated publications first"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="parallel database connections (default: CPU count, at most 4)",
        )

    def handle(self, *args, publications, topics, posts, longest, replace, **options):
        if publications is None and topics is None:
            raise CommandError(
                "Say what to generate: --publications N and/or --topics N --posts M."
            )
        if topics is not None:
            self._forum(topics, posts, longest, replace)
        if publications is not None:
            self._publications(publications=publications, replace=replace, **options)

    def _forum(self, topics, posts, longest, replace):
        """The forum part: forum.generate does it in set-based SQL."""
        from forum.generate import generate_forum, remove_generated

        posts = topics * 25 if posts is None else posts
        if topics < 1 or posts < topics or (longest is not None and longest < 0):
            raise CommandError("--topics must be >= 1 and --posts >= --topics (one post each).")
        started = time.monotonic()
        if replace:
            remove_generated()
        made = generate_forum(
            topics=topics, posts=posts, longest=posts // 10 if longest is None else longest
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made['topics']} forum topics and {made['posts']} posts "
                f"(longest topic: {made['longest_topic']}) in "
                f"{time.monotonic() - started:.1f} s"
            )
        )

    def _publications(self, *, publications, batch, seed, replace, jobs, **options):
        if publications < 0 or batch < 1 or jobs < 1:
            raise CommandError("--publications must be >= 0, --batch and --jobs >= 1.")
        started = time.monotonic()
        timings = {}

        def lap(name, since):
            timings[name] = time.monotonic() - since
            return time.monotonic()

        mark = time.monotonic()
        with transaction.atomic():
            deleted = delete_generated() if replace else 0
            start = last_generated_number() + 1
            generator = Generator()
        mark = lap("prepare", mark)
        # Batches are numbered, each with its own seeded random generator, so the content
        # does not depend on how they are spread over the workers. Inside an outer
        # transaction (tests) other connections could not see the rows: one worker then.
        batches = [
            range(first, min(first + batch, start + publications))
            for first in range(start, start + publications, batch)
        ]
        jobs = 1 if connection.in_atomic_block else min(jobs, max(len(batches), 1))
        shares = [batches[job::jobs] for job in range(jobs)]
        progress = {"done": 0}

        def work(share):
            if jobs > 1:
                try:
                    return self._generate(generator, share, seed, progress, publications)
                finally:
                    connection.close()  # this thread's own connection
            return self._generate(generator, share, seed, progress, publications)

        if jobs == 1:
            results = [work(shares[0])] if shares else []
        else:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                results = list(pool.map(work, shares))
        versions = sum(result["versions"] for result in results)
        indexed = sum(result["indexed"] for result in results)
        timings["insert"] = max((result["insert"] for result in results), default=0)
        timings["index"] = max((result["index"] for result in results), default=0)
        mark = time.monotonic()
        terms = search_terms_refresh()
        mark = lap("search terms", mark)
        self._analyze()
        lap("analyze", mark)
        total = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {publications} publications ({versions} language versions, "
                f"{indexed} indexed, {terms} search terms"
                + (f", {deleted} earlier ones deleted" if replace else "")
                + f") with {jobs} job(s) in {total:.1f} s: "
                + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
            )
        )

    def _generate(self, generator, batches, seed, progress, total) -> dict:
        """One worker: COPY its batches, then one set-based UPDATE of their search vectors."""
        result = {"versions": 0, "indexed": 0}
        with transaction.atomic():
            mark = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {METADATA_TABLE} "
                    "(publication_id bigint PRIMARY KEY, metadata text NOT NULL) ON COMMIT DROP"
                )
                cursor.execute(f"TRUNCATE {METADATA_TABLE}")
            for numbers in batches:
                rng = random.Random(f"{seed}:{numbers[0]}")
                result["versions"] += self._insert_batch(generator, numbers, rng)
                with self._lock:
                    progress["done"] += len(numbers)
                    if progress["done"] % 10_000 < len(numbers) or progress["done"] == total:
                        self.stdout.write(f"  {progress['done']}/{total} publications inserted")
            result["insert"] = time.monotonic() - mark
            mark = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {METADATA_TABLE}")
                cursor.execute(bulk_index_sql(METADATA_TABLE))
                result["indexed"] = cursor.rowcount
            result["index"] = time.monotonic() - mark
        return result

    _lock = threading.Lock()

    def _insert_batch(self, generator: Generator, numbers, rng: random.Random) -> int:
        rows = [generator.publication(number, rng) for number in numbers]
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Publication._meta.db_table, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        publications = []
        for pk, row in zip(ids, rows, strict=True):
            date = row["date"]
            published_at = datetime.datetime(date.year, date.month, date.day, tzinfo=datetime.UTC)
            publications.append(
                Publication(
                    pk=pk,
                    slug=f"{SLUG_PREFIX}{row['number']:06d}",
                    **{f"title_{code}": row["titles"][code] for code in LANGUAGES},
                    **{f"summary_{code}": row["summaries"][code] for code in LANGUAGES},
                    **{f"subtitle_{code}": "" for code in LANGUAGES},
                    type_id=generator.types[row["type"]].pk,
                    countries=row["countries"],
                    regions=row["regions"],
                    publication_date=date,
                    date_precision=row["precision"],
                    status=PublicationStatus.PUBLISHED,
                    published_at=min(published_at, now),
                )
            )
        versions, authorships, themes = [], [], []
        through = Publication.themes.through
        for row, publication in zip(rows, publications, strict=True):
            for language in row["languages"]:
                text = generator.text(row, language, rng)
                versions.append(
                    LanguageVersion(
                        publication_id=publication.pk,
                        language=language,
                        external_url=f"https://example.org/docs/{publication.slug}-{language}.pdf",
                        page_count=max(1, len(text) // 2500 + rng.randint(4, 120)),
                        text=text,
                        extraction_status=ExtractionStatus.DONE,
                        extracted_at=now,
                    )
                )
            authorships += [
                Authorship(publication_id=publication.pk, author_id=author.pk, order=order)
                for order, author in enumerate(row["authors"])
            ]
            themes += [
                through(publication_id=publication.pk, theme_id=generator.themes[slug].pk)
                for slug in row["themes"]
            ]
        copy_rows(Publication, publications, with_pk=True)
        copy_rows(LanguageVersion, versions)
        copy_rows(Authorship, authorships)
        copy_rows(through, themes)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {METADATA_TABLE} (publication_id, metadata) FROM STDIN"
            ) as copy,
        ):
            for row, publication in zip(rows, publications, strict=True):
                copy.write_row((publication.pk, generator.metadata(row)))
        return len(versions)

    def _analyze(self):
        tables = [
            Publication._meta.db_table,
            LanguageVersion._meta.db_table,
            Authorship._meta.db_table,
            Publication.themes.through._meta.db_table,
            SearchDocument._meta.db_table,  # kept by triggers: rewritten by every step
        ]
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"{command} {table}")
