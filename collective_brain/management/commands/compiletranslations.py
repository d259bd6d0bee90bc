from pathlib import Path

import allauth
import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Compile the project's .po files to .mo (no GNU gettext needed) and provide "
        "django-allauth's European Portuguese catalogue under the plain 'pt' code."
    )

    def handle(self, *args, **options):
        locale_dir = Path(settings.BASE_DIR) / "locale"
        compiled = 0
        for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            compiled += 1

        # allauth ships pt_BR and pt_PT but our language code is "pt".
        source = Path(allauth.__file__).parent / "locale" / "pt_PT" / "LC_MESSAGES" / "django.po"
        target = Path(settings.BASE_DIR) / "var" / "locale" / "pt" / "LC_MESSAGES" / "django.mo"
        if source.exists() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            polib.pofile(str(source)).save_as_mofile(str(target))
            compiled += 1
        self.stdout.write(f"Compiled {compiled} message catalogue(s).")
