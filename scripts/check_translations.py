"""Fail when a .po file has an untranslated or fuzzy entry, or does not compile."""

import sys
from pathlib import Path

import polib

LANGUAGES = ["fr", "es", "pt", "it"]
ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    problems = []
    for language in LANGUAGES:
        path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)}: missing")
            continue
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags:
                problems.append(f"{path.relative_to(ROOT)}: fuzzy: {entry.msgid!r}")
            elif not entry.translated():
                problems.append(f"{path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
            elif entry.msgid_plural is None and entry.msgid.count("%(") != entry.msgstr.count(
                "%("
            ):
                problems.append(f"{path.relative_to(ROOT)}: placeholders differ: {entry.msgid!r}")
        try:
            catalogue.to_binary()
        except Exception as error:  # noqa: BLE001 - report any compile failure
            problems.append(f"{path.relative_to(ROOT)}: does not compile: {error}")
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} translation problem(s).")
        return 1
    print("All catalogues are complete and compile.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
