import json
import os
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from academies.demo import seed_programme_and_participants
from academies.models import Edition, Participation, ParticipationRole
from accounts.models import CURATORS_GROUP, MODERATORS_GROUP, DirectoryVisibility
from conversations.demo import seed_conversations
from forum.demo import seed_forum
from news.demo import seed_news
from pages.models import Page
from publications.demo import seed_publications

CONTENT_DIR = Path(__file__).resolve().parents[2] / "demo_content"
DEMO_DOMAIN = "demo.collective-brain.org"
DEVELOPMENT_DEMO_PASSWORD = "collective-brain-demo"
CURATED_APPS = ["pages", "academies", "publications", "news"]


def _translated(values: dict, field: str) -> dict:
    return {f"{field}_{code}": text for code, text in values.items()}


class Command(BaseCommand):
    help = "Load the demo content (idempotent: running it again changes nothing)."

    def handle(self, *args, **options):
        password = self._demo_password()
        with transaction.atomic():
            editions = self.seed_editions()
            publications = seed_publications()
            pages = self.seed_pages()
            groups = self.seed_groups()
            accounts = self.seed_accounts(password, groups, editions)
            seed_programme_and_participants(editions)
            seed_news()
            seed_forum()
            seed_conversations()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(editions)} editions, {len(publications)} publications, "
                f"{len(pages)} About pages, "
                f"{len(accounts)} demo accounts (<role>@{DEMO_DOMAIN})."
            )
        )

    def _demo_password(self) -> str:
        password = os.environ.get("DEMO_PASSWORD", "")
        if password:
            return password
        if not settings.DEBUG:
            raise CommandError("Set DEMO_PASSWORD to seed demo accounts outside development.")
        return DEVELOPMENT_DEMO_PASSWORD

    def seed_editions(self) -> list[Edition]:
        editions = []
        for row in json.loads((CONTENT_DIR / "editions.json").read_text(encoding="utf-8")):
            city_en = row["city"]["en"]
            edition, _created = Edition.objects.update_or_create(
                number=row["number"],
                defaults={
                    "slug": slugify(f"{row['number']} {city_en}"),
                    "country": row["country"],
                    "year": row["year"],
                    **_translated(row["city"], "city"),
                },
            )
            editions.append(edition)
        return editions

    def seed_pages(self) -> list[Page]:
        pages = []
        for row in json.loads((CONTENT_DIR / "about_pages.json").read_text(encoding="utf-8")):
            page, _created = Page.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "order": row["order"],
                    "is_published": True,
                    **_translated(row["title"], "title"),
                    **_translated(row["summary"], "summary"),
                    **_translated(row["body"], "body"),
                },
            )
            pages.append(page)
        return pages

    def seed_groups(self) -> dict[str, Group]:
        moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
        curators, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
        curators.permissions.set(
            Permission.objects.filter(content_type__app_label__in=CURATED_APPS)
        )
        return {"moderator": moderators, "curator": curators}

    def seed_accounts(self, password, groups, editions) -> list:
        user_model = get_user_model()
        latest = editions[-1]
        people = {
            "member": {"display_name": "Amina Diallo", "country": "SN", "organisation": "Réseau des coopératives du Sénégal", "languages_spoken": ["fr", "en", "ar"], "preferred_language": "fr"},
            "participant": {"display_name": "Lucía Fernández", "country": "ES", "organisation": "Cooperativa Tejiendo Redes", "languages_spoken": ["es", "en", "pt"], "preferred_language": "es"},
            "moderator": {"display_name": "Marco Rossi", "country": "IT", "organisation": "Consorzio Sociale Torino", "languages_spoken": ["it", "en", "fr"], "preferred_language": "it"},
            "curator": {"display_name": "Joana Silva", "country": "PT", "organisation": "SSE Academy team", "languages_spoken": ["pt", "en", "es"], "preferred_language": "en"},
        }  # fmt: skip
        accounts = []
        for role, profile in people.items():
            email = f"{role}@{DEMO_DOMAIN}"
            user = user_model.objects.filter(email__iexact=email).first() or user_model(
                email=email, username=role
            )
            for field, value in profile.items():
                setattr(user, field, value)
            user.directory_visibility = DirectoryVisibility.MEMBERS
            user.is_staff = role == "curator"
            if not user.check_password(password):
                user.set_password(password)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role in groups:
                user.groups.add(groups[role])
            if role == "participant":
                Participation.objects.get_or_create(
                    user=user, edition=latest, defaults={"role": ParticipationRole.PARTICIPANT}
                )
            accounts.append(user)
        return accounts
