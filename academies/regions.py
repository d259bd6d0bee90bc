"""Countries grouped in the ILO's regions, for the directory filter and the network figures.

The region names are the library's (``publications.models.Region``) so the whole site speaks
of the same five regions.
"""

from publications.models import Region

_REGION_COUNTRIES = {
    Region.AFRICA: (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS LY MA "
        "MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT ZA ZM ZW"
    ),
    Region.AMERICAS: (
        "AG AI AR AW BB BL BM BO BQ BR BS BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GT GY HN "
        "HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG VI"
    ),
    Region.ARAB_STATES: "AE BH IQ JO KW LB OM PS QA SA SY YE",
    Region.ASIA_PACIFIC: (
        "AF AS AU BD BN BT CC CK CN CX FJ FM GU HK ID IN IO IR JP KH KI KP KR LA LK MH MM MN MO "
        "MP MV MY NC NF NP NR NU NZ PF PG PH PK PN PW SB SG TH TK TL TO TV TW VN VU WF WS"
    ),
    Region.EUROPE_CENTRAL_ASIA: (
        "AD AL AM AT AX AZ BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GE GG GI GR HR HU IE IL "
        "IM IS IT JE KG KZ LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM TJ TM "
        "TR UA UZ VA XK"
    ),
}

COUNTRY_REGION: dict[str, str] = {
    code: region.value for region, codes in _REGION_COUNTRIES.items() for code in codes.split()
}

REGION_CHOICES = [(region.value, region.label) for region in _REGION_COUNTRIES]


def region_of(country_code: str) -> str | None:
    return COUNTRY_REGION.get((country_code or "").upper())


def countries_in(region: str) -> list[str]:
    return [code for code, value in COUNTRY_REGION.items() if value == region]


def region_label(region: str | None) -> str:
    return str(Region(region).label) if region in Region.values else ""
