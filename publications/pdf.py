"""Generate real PDF files (demo content, test fixtures, benchmark data) with fpdf2."""

from datetime import datetime

from fpdf import FPDF

# fpdf2's core fonts speak Latin-1; typographic marks outside it are replaced.
_REPLACEMENTS = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "…": "...",
        "œ": "oe",
        "Œ": "OE",
        "€": "EUR",
    }
)


def _latin1(text: str) -> str:
    return text.translate(_REPLACEMENTS).encode("latin-1", "replace").decode("latin-1")


def make_pdf(
    title: str,
    paragraphs: list[str],
    *,
    language: str = "en",
    author: str = "",
    creation_date: datetime | None = None,
) -> bytes:
    """A small, valid PDF whose text layer holds the title and paragraphs.

    With a fixed (timezone-aware) creation_date the bytes are deterministic: the same
    arguments always give the same file, hence the same checksum.
    """
    document = FPDF(format="A4")
    if creation_date is not None:
        document.set_creation_date(creation_date)
    document.set_title(_latin1(title))
    document.set_lang(language)
    if author:
        document.set_author(_latin1(author))
    document.set_creator("Collective Brain")
    document.set_auto_page_break(auto=True, margin=18)
    document.add_page()
    document.set_font("Helvetica", "B", 16)
    document.multi_cell(0, 8, _latin1(title))
    document.ln(4)
    document.set_font("Helvetica", size=11)
    for paragraph in paragraphs:
        document.multi_cell(0, 6, _latin1(paragraph))
        document.ln(3)
    return bytes(document.output())
