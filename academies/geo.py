"""A light world map drawn by the server: crude continent outlines and one dot per place.

Equirectangular projection cropped to where people live and meet (longitude −130…160, latitude
72…−58), so one unit is one degree. The outlines are deliberately rough (a few dozen points per continent):
enough to recognise the world, a few kilobytes of SVG, no external tiles.
"""

from decimal import Decimal
from functools import cache

WEST, EAST, NORTH, SOUTH = -130, 160, 72, -58
WIDTH, HEIGHT = EAST - WEST, NORTH - SOUTH

# Approximate coordinates (latitude, longitude) of the cities of past editions, used when an
# edition has no coordinates of its own. Keyed by (country code, English city name).
KNOWN_PLACES = {
    ("IT", "turin"): (45.07, 7.69),
    ("CA", "montreal"): (45.50, -73.57),
    ("MA", "agadir"): (30.43, -9.60),
    ("BR", "campinas"): (-22.91, -47.06),
    ("ZA", "johannesburg"): (-26.20, 28.05),
    ("MX", "puebla"): (19.04, -98.21),
    ("CR", "san josé"): (9.93, -84.09),
    ("KR", "seoul"): (37.57, 126.98),
    ("LU", "luxembourg city"): (49.61, 6.13),
    ("ES", "madrid"): (40.42, -3.70),
}

# (longitude, latitude) rings, west to east, roughly clockwise.
CONTINENTS = [
    # North and Central America
    [(-166, 68), (-156, 71), (-140, 70), (-125, 70), (-110, 68), (-95, 69), (-94, 60),
     (-88, 56), (-80, 52), (-78, 58), (-77, 62), (-65, 60), (-60, 55), (-56, 52), (-60, 47),
     (-66, 44), (-70, 42), (-74, 40), (-76, 35), (-81, 31), (-80, 25), (-82, 27), (-84, 30),
     (-89, 30), (-95, 29), (-97, 26), (-97, 21), (-94, 18), (-90, 21), (-87, 21), (-88, 16),
     (-84, 15), (-83, 10), (-79, 9), (-77, 8), (-80, 7), (-83, 8), (-86, 12), (-92, 14),
     (-96, 16), (-105, 20), (-110, 23), (-112, 28), (-117, 32), (-121, 35), (-124, 40),
     (-124, 47), (-128, 51), (-135, 58), (-142, 60), (-152, 59), (-158, 57), (-162, 60),
     (-166, 62)],
    # Baffin Island and the Arctic archipelago
    [(-80, 63), (-64, 66), (-68, 71), (-80, 74), (-95, 76), (-110, 77), (-120, 74),
     (-105, 72), (-90, 70)],
    # Greenland
    [(-73, 78), (-20, 78), (-20, 72), (-23, 70), (-43, 60), (-50, 64), (-55, 70), (-73, 76)],
    # South America
    [(-77, 8), (-72, 12), (-63, 10), (-60, 8), (-52, 5), (-50, 0), (-44, -2), (-35, -5),
     (-35, -9), (-39, -15), (-41, -22), (-48, -26), (-53, -34), (-58, -38), (-62, -39),
     (-65, -45), (-68, -50), (-69, -55), (-72, -53), (-75, -47), (-73, -40), (-72, -30),
     (-71, -18), (-76, -14), (-81, -6), (-80, -1), (-78, 2)],
    # Africa
    [(-17, 21), (-13, 28), (-9, 32), (-6, 36), (0, 36), (10, 37), (11, 33), (20, 31),
     (25, 32), (32, 31), (35, 24), (38, 18), (43, 12), (51, 12), (51, 10), (48, 4), (41, -2),
     (40, -10), (40, -16), (35, -22), (33, -26), (30, -31), (26, -34), (20, -35), (18, -32),
     (15, -27), (12, -18), (13, -12), (12, -6), (9, -1), (9, 4), (6, 4), (2, 6), (-4, 5),
     (-8, 4), (-13, 8), (-17, 14)],
    # Madagascar
    [(44, -25), (47, -25), (50, -15), (49, -12), (44, -17)],
    # Eurasia
    [(-9, 37), (-9, 43), (-2, 43.5), (-1, 46), (-5, 48), (2, 51), (5, 53), (8, 54), (8, 57),
     (11, 56), (10, 59), (5, 58), (5, 62), (14, 67), (20, 70), (28, 71), (40, 67), (44, 68),
     (60, 69), (70, 73), (80, 73), (100, 77), (113, 74), (130, 71), (140, 72), (160, 70),
     (180, 69), (180, 65), (178, 62), (163, 60), (156, 51), (156, 57), (142, 59), (137, 54),
     (141, 48), (135, 43), (130, 42), (129, 35), (126, 35), (126, 38), (125, 40), (121, 39),
     (118, 39), (122, 37), (120, 32), (122, 30), (119, 25), (114, 22), (108, 21), (106, 18),
     (109, 12), (105, 9), (103, 10), (100, 13), (104, 1.5), (100, 4), (98, 8), (98, 16),
     (94, 16), (92, 22), (87, 22), (80, 15), (77, 8), (73, 17), (72, 21), (67, 24), (62, 25),
     (57, 25), (59, 22), (55, 17), (52, 16), (45, 13), (43, 13), (39, 21), (35, 28), (34, 31),
     (35, 33), (36, 36), (30, 36), (27, 37), (26, 40), (22, 37), (20, 42), (14, 45),
     (12.5, 44), (16, 41.5), (18.5, 40), (16, 38), (15.5, 40), (12, 42), (10, 44), (7, 43.5),
     (3, 43), (0, 39.5), (-2, 37), (-5, 36)],
    # Great Britain and Ireland
    [(-5, 50), (1, 51), (2, 52.5), (0, 54), (-2, 56), (-2, 58.5), (-5, 58.5), (-6, 56),
     (-3, 54), (-5, 52)],
    [(-10, 52), (-6, 52), (-6, 55), (-8, 55.3), (-10, 54)],
    # Japan
    [(130, 31), (135, 34), (140, 35), (142, 40), (141, 45), (145, 44), (140, 41), (137, 37),
     (132, 35), (130, 33)],
    # Sumatra, Borneo, Java, New Guinea
    [(95, 5), (98, 4), (106, -6), (102, -4)],
    [(109, 2), (117, 7), (119, 1), (116, -4), (110, -3)],
    [(106, -6), (114, -7), (114, -8.5), (106, -7)],
    [(131, -1), (141, -2.5), (150, -10), (141, -9), (137, -5)],
    # Australia
    [(114, -22), (114, -34), (118, -35), (124, -34), (131, -31.5), (135, -35), (138, -35),
     (140, -38), (146, -39), (150, -37), (153, -32), (153, -25), (146, -19), (145, -15),
     (142, -10.7), (140, -17.5), (136, -15), (137, -12), (132, -11), (129, -15), (126, -14),
     (122, -17)],
    # New Zealand
    [(172, -34), (178, -38), (174, -41), (167, -46), (171, -44), (174, -39)],
]  # fmt: skip


def project(latitude, longitude) -> tuple[float, float]:
    """Canvas coordinates of a point (degrees, north and east positive)."""
    return round(float(longitude) - WEST, 2), round(NORTH - float(latitude), 2)


@cache
def world_path() -> str:
    """The continents as one SVG path (about 3 KB)."""
    parts = []
    for ring in CONTINENTS:
        points = [project(latitude, longitude) for longitude, latitude in ring]
        parts.append("M" + " ".join(f"{x:g},{y:g}" for x, y in points) + "Z")
    return "".join(parts)


def coordinates_of(edition) -> tuple[Decimal | float, Decimal | float] | None:
    if edition.latitude is not None and edition.longitude is not None:
        return edition.latitude, edition.longitude
    city = (getattr(edition, "city_en", None) or edition.city or "").strip().lower()
    return KNOWN_PLACES.get((str(edition.country), city))
