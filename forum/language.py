"""Which language a post is written in, found by a language-identification library (lingua)
that ships its own statistical models: nothing is downloaded, nothing leaves the server.

Only the author's own words count: quotes (another member's words), code, links' addresses,
mentions and raw HTML are set aside before detecting. Short or ambiguous texts give None, and
the caller falls back to the author's choice or the language of the page.

The detector is built on first use in each process (about 0.1 s, then ~4 ms a post) and keeps
its models in memory: some 120 MB for the ~60 spoken languages lingua knows. Bulk writers (the
data generator, imports) set languages themselves and never call it.
"""

import functools
import re

from django.conf import settings
from django.utils.translation import get_language
from markdown_it import MarkdownIt

from accounts.models import SPOKEN_LANGUAGES

# Below these, statistics on letters say little: "ok", "+1", "Merci !" are left undecided.
MIN_LETTERS = 12
MIN_WORDS = 3
# The detected language must be this likely (lingua's confidence, 0 to 1) to be trusted.
MIN_CONFIDENCE = 0.6
# Beyond this many characters, more text does not change the answer: keep detection cheap.
MAX_CHARS = 2000

_parser = MarkdownIt("commonmark", {"linkify": False}).enable("table")
_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION_RE = re.compile(r"(?<![\w@/])@[\w.+-]+")
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)
# The line our quote button writes above a quote: "@name — [#3](/forum/p/12/):".
_QUOTE_HEADER_RE = re.compile(r"^@[\w.+-]+ — \[#\d+\]\([^)]*\):\s*$", re.MULTILINE)


def own_words(markdown: str) -> str:
    """The plain text the author wrote: no quotes, code, HTML, link addresses or mentions."""
    markdown = _QUOTE_HEADER_RE.sub("", markdown or "")
    parts: list[str] = []
    quote_depth = 0
    for token in _parser.parse(markdown):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "inline" and quote_depth == 0:
            for child in token.children or []:
                if child.type == "text":
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            parts.append("\n")
    text = "".join(parts)
    text = _URL_RE.sub(" ", text)
    text = _MENTION_RE.sub(" ", text)
    return " ".join(text.split())


def _lingua_to_code() -> dict:
    """lingua's languages among the forum's spoken languages, with their ISO 639-1 codes."""
    from lingua import IsoCode639_1, Language

    mapping = {}
    for code, _name in SPOKEN_LANGUAGES:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is None:
            continue
        try:
            mapping[Language.from_iso_code_639_1(iso)] = code
        except ValueError:  # a code lingua knows but has no model for
            continue
    return mapping


@functools.cache
def _detector():
    """Built once per process, on first use; lingua loads each language model lazily."""
    from lingua import LanguageDetectorBuilder

    mapping = _lingua_to_code()
    detector = LanguageDetectorBuilder.from_languages(*mapping).with_low_accuracy_mode().build()
    return detector, mapping


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language of a Markdown text, or None when unsure."""
    words = own_words(text)[:MAX_CHARS]
    if len(words.split()) < MIN_WORDS or len(_LETTER_RE.findall(words)) < MIN_LETTERS:
        return None
    detector, mapping = _detector()
    confidences = detector.compute_language_confidence_values(words)
    if not confidences or confidences[0].value < MIN_CONFIDENCE:
        return None
    return mapping.get(confidences[0].language)


def fallback_language(user) -> str:
    """When the text says too little: the author's preferred language, else the page's."""
    preferred = getattr(user, "preferred_language", "") or ""
    codes = {code for code, _name in SPOKEN_LANGUAGES}
    for code in (preferred, get_language() or "", settings.LANGUAGE_CODE):
        if code in codes:
            return code
    return "en"


def resolve_language(*, body: str, chosen: str, author) -> tuple[str, bool]:
    """The language to store and whether it was detected: the author's explicit choice wins,
    then detection, then the fallback."""
    if chosen:
        return chosen, False
    return detect_language(body) or fallback_language(author), True
