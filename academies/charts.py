"""Geometry for the SVG charts the templates draw: the server does the maths, no JavaScript."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from academies import geo

BAR_CHART_WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = 340
BAR_HEIGHT = 22
BAR_GAP = 8
MAX_LABEL_CHARACTERS = 32


@dataclass
class Bar:
    label: str
    value: int
    short_label: str = ""
    y: float = 0
    width: float = 0
    text_y: float = 0
    value_x: float = 0


@dataclass
class BarChart:
    id: str
    title: str
    description: str
    rows: list[Bar]  # every row, for the table alternative
    bars: list[Bar] = field(default_factory=list)  # what the picture shows
    height: int = 0
    width: int = BAR_CHART_WIDTH
    label_width: int = LABEL_WIDTH
    total: int = 0
    column_label: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _shorten(text: str) -> str:
    text = str(text)
    if len(text) <= MAX_LABEL_CHARACTERS:
        return text
    return text[: MAX_LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, int]],
    *,
    column_label: str = "",
    max_bars: int = 15,
    other_label: str | None = None,
) -> BarChart:
    """A horizontal bar chart of (label, count) rows; beyond max_bars the rest is one bar."""
    rows = [Bar(label=str(label), value=int(value)) for label, value in rows]
    shown = rows[:max_bars]
    if len(rows) > max_bars:
        rest = sum(bar.value for bar in rows[max_bars - 1 :])
        shown = rows[: max_bars - 1] + [Bar(label=other_label or _("Others"), value=rest)]
    biggest = max((bar.value for bar in shown), default=0) or 1
    for index, bar in enumerate(shown):
        bar.short_label = _shorten(bar.label)
        bar.y = index * (BAR_HEIGHT + BAR_GAP)
        bar.width = round(max(bar.value / biggest * BAR_AREA, 1 if bar.value else 0), 1)
        bar.text_y = bar.y + BAR_HEIGHT * 0.72
        bar.value_x = LABEL_WIDTH + bar.width + 6
    total = sum(bar.value for bar in rows)
    description = ", ".join(f"{bar.label}: {bar.value}" for bar in shown)
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        rows=rows,
        bars=shown,
        height=max(len(shown) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP, BAR_HEIGHT),
        total=total,
        column_label=column_label or _("Members"),
    )


@dataclass
class MapPoint:
    x: float
    y: float
    label: str
    title: str
    label_x: float = 0
    label_y: float = 0
    anchor: str = "start"


MAP_FONT = 5.5


def _label_box(point: MapPoint, anchor: str, dx: float, dy: float):
    width = len(point.label) * MAP_FONT * 0.6
    x = point.x + dx
    left = x - width if anchor == "end" else x
    y = point.y + dy
    return (left, y - MAP_FONT, left + width, y), x, y


def _overlaps(box, boxes) -> bool:
    return any(
        box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
        for other in boxes
    )


def edition_map(editions) -> dict:
    """Dots for the places of the editions (one per place), labelled with edition numbers."""
    places: dict[tuple, list] = {}
    for edition in editions:
        coordinates = geo.coordinates_of(edition)
        if coordinates is None:
            continue
        places.setdefault(geo.project(*coordinates), []).append(edition)
    radius = 2.4
    points = []
    boxes = [(x - radius, y - radius, x + radius, y + radius) for x, y in places]
    # Offsets tried in turn so labels of nearby places do not overlap.
    attempts = [("start", 3.5, 2), ("end", -3.5, 2), ("start", 3, -2.5), ("end", -3, -2.5),
                ("start", 3, 6.5), ("end", -3, 6.5)]  # fmt: skip
    for (x, y), group in sorted(places.items(), key=lambda item: item[0][1]):
        group.sort(key=lambda edition: edition.number)
        numbers = ", ".join(str(edition.number) for edition in group)
        names = "; ".join(str(edition) for edition in group)
        point = MapPoint(x=x, y=y, label=numbers, title=names)
        for anchor, dx, dy in attempts:
            box, label_x, label_y = _label_box(point, anchor, dx, dy)
            if not _overlaps(box, boxes):
                break
        point.anchor, point.label_x, point.label_y = anchor, label_x, label_y
        boxes.append(box)
        points.append(point)
    return {
        "width": geo.WIDTH,
        "height": geo.HEIGHT,
        "world": geo.world_path(),
        "points": points,
        "font_size": MAP_FONT,
        "radius": radius,
    }
