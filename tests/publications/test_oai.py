import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publications.models import (
    Collection,
    DatePrecision,
    Publication,
    PublicationStatus,
)
from tests.publications.factories import make_publication, make_theme, make_type, make_version

OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


def harvest(client, method="get", headers=None, **params):
    response = getattr(client, method)("/oai", params, headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == f"{OAI}OAI-PMH"
    assert root.get(f"{XSI}schemaLocation").startswith("http://www.openarchives.org/OAI/2.0/ ")
    assert root.find(f"{OAI}responseDate").text.endswith("Z")
    assert root.find(f"{OAI}request").text == "http://testserver/oai"
    return root


def error_codes(root):
    return [error.get("code") for error in root.findall(f"{OAI}error")]


def identifiers(root):
    return [element.text for element in root.iter(f"{OAI}identifier")]


def token_of(root):
    return root.find(f".//{OAI}resumptionToken")


def stamp(publication, moment):
    """Set the datestamp (the later of updated_at and published_at) of a publication."""
    Publication.objects.filter(pk=publication.pk).update(
        updated_at=moment, published_at=min(moment, publication.published_at or moment)
    )


@pytest.fixture
def brazil(db):
    publication = make_publication(
        slug="brazil",
        title="Public policies for the SSE in Brazil",
        title_fr="Politiques publiques pour l’ESS au Brésil",
        subtitle_en="A case study",
        summary_fr="Une étude des politiques publiques.",
        authors=["Lima, Ana", "Silva, João"],
        themes=[make_theme("decent-work", name_en="Decent work", name_fr="Travail décent")],
        countries=["BR", "AR"],
        regions=["americas"],
        doi="10.1234/sse.2016",
        isbn="978-92-2-000000-0",
        date_precision=DatePrecision.MONTH,
    )
    make_version(publication, "en")
    make_version(publication, "pt", text="Cooperativas criam trabalho decente.")
    collection = Collection.objects.create(
        slug="turin-2010", title_en="Turin 2010 reader", title_fr="Lectures de Turin 2010"
    )
    publication.collections.add(collection)
    stamp(publication, utc(2024, 3, 10, 12, 30, 15, 500_000))
    publication.refresh_from_db()
    return publication


@pytest.fixture
def private(db):
    draft = make_publication(slug="draft", title="A draft", published=False)
    scheduled = make_publication(
        slug="scheduled",
        title="Scheduled",
        status=PublicationStatus.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    return [draft, scheduled]


# Identify and protocol errors


def test_identify(client, brazil, private):
    root = harvest(client, verb="Identify")

    assert root.find(f"{OAI}request").attrib == {"verb": "Identify"}
    identify = root.find(f"{OAI}Identify")
    assert identify.findtext(f"{OAI}repositoryName") == "Collective Brain"
    assert identify.findtext(f"{OAI}baseURL") == "http://testserver/oai"
    assert identify.findtext(f"{OAI}protocolVersion") == "2.0"
    assert identify.findtext(f"{OAI}adminEmail") == "noreply@collective-brain.org"
    assert identify.findtext(f"{OAI}earliestDatestamp") == "2024-03-10T12:30:15Z"
    assert identify.findtext(f"{OAI}deletedRecord") == "no"
    assert identify.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.find(f"{OAI}description") is None


@override_settings(
    OAI_REPOSITORY_IDENTIFIER="collective-brain.example.org", OAI_ADMIN_EMAIL="oai@example.org"
)
def test_identify_with_a_domain_identifier(client, brazil):
    root = harvest(client, verb="Identify")

    assert root.findtext(f".//{OAI}adminEmail") == "oai@example.org"
    scheme = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
    description = root.find(f".//{OAI}description/{scheme}oai-identifier")
    assert description.findtext(f"{scheme}repositoryIdentifier") == "collective-brain.example.org"
    record = harvest(
        client,
        verb="GetRecord",
        metadataPrefix="oai_dc",
        identifier="oai:collective-brain.example.org:brazil",
    )
    assert identifiers(record)[0] == "oai:collective-brain.example.org:brazil"


def test_post_requests_are_answered_without_csrf_token(db, brazil):
    root = harvest(Client(enforce_csrf_checks=True), "post", verb="ListIdentifiers",
                   metadataPrefix="oai_dc")  # fmt: skip

    assert identifiers(root) == ["oai:collective-brain:brazil"]


def test_other_methods_are_not_allowed(client, db):
    assert client.put("/oai?verb=Identify").status_code == 405


@pytest.mark.parametrize(
    "query",
    ["", "verb=Explain", "verb=Identify&verb=Identify", "verb=identify"],
)
def test_bad_verb(client, db, query):
    response = client.get(f"/oai?{query}")
    root = ET.fromstring(response.content)

    assert error_codes(root) == ["badVerb"]
    assert root.find(f"{OAI}request").attrib == {}
    assert root.find(f"{OAI}request").text == "http://testserver/oai"


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListIdentifiers", "from": "2024-01-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "foo": "bar"},
        {"verb": "GetRecord", "identifier": "oai:collective-brain:brazil"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListMetadataFormats", "set": "type"},
        {"verb": "ListSets", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T10:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-01-01T10:00:00.5Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "yesterday"},
        {"verb": "ListRecords", "metadataPrefix": "mods", "from": "2024"},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-01-01",
            "until": "2024-02-01T00:00:00Z",
        },
        {
            "verb": "ListIdentifiers",
            "metadataPrefix": "oai_dc",
            "from": "2024-02-02",
            "until": "2024-02-01",
        },
    ],  # fmt: skip
)
def test_bad_argument(client, brazil, params):
    root = harvest(client, **params)

    assert error_codes(root) == ["badArgument"]
    assert root.find(f"{OAI}request").attrib == {}


def test_repeated_argument_is_a_bad_argument(client, brazil):
    response = client.get("/oai?verb=GetRecord&metadataPrefix=oai_dc&metadataPrefix=oai_dc"
                          "&identifier=oai:collective-brain:brazil")  # fmt: skip

    assert error_codes(ET.fromstring(response.content)) == ["badArgument"]


def test_error_echoes_valid_arguments(client, brazil):
    root = harvest(client, verb="ListRecords", metadataPrefix="marc21")

    assert error_codes(root) == ["cannotDisseminateFormat"]
    assert root.find(f"{OAI}request").attrib == {"verb": "ListRecords", "metadataPrefix": "marc21"}
    assert root.find(f"{OAI}ListRecords") is None


# ListMetadataFormats and ListSets


def test_list_metadata_formats(client, brazil, private):
    for params in [{}, {"identifier": "oai:collective-brain:brazil"}]:
        root = harvest(client, verb="ListMetadataFormats", **params)
        formats = root.findall(f"{OAI}ListMetadataFormats/{OAI}metadataFormat")
        assert [element.findtext(f"{OAI}metadataPrefix") for element in formats] == ["oai_dc"]
        assert formats[0].findtext(f"{OAI}metadataNamespace") == (
            "http://www.openarchives.org/OAI/2.0/oai_dc/"
        )
        assert formats[0].findtext(f"{OAI}schema") == (
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
        )

    for identifier in ["oai:collective-brain:draft", "oai:collective-brain:scheduled",
                       "oai:collective-brain:nothing", "brazil", "oai:other:brazil"]:  # fmt: skip
        root = harvest(client, verb="ListMetadataFormats", identifier=identifier)
        assert error_codes(root) == ["idDoesNotExist"]


def test_list_sets(client, brazil):
    make_type("guide", name_en="Guide", name_fr="Guide pratique", description_en="How-to")

    root = harvest(client, verb="ListSets", headers={"accept-language": "fr"})

    sets = {
        element.findtext(f"{OAI}setSpec"): element
        for element in root.findall(f"{OAI}ListSets/{OAI}set")
    }
    assert list(sets) == [
        "type",
        "type:country-case-study",
        "type:guide",
        "collection",
        "collection:turin-2010",
    ]
    assert sets["type:guide"].findtext(f"{OAI}setName") == "Guide"
    assert sets["collection:turin-2010"].findtext(f"{OAI}setName") == "Turin 2010 reader"
    description = sets["type:guide"].find(f"{OAI}setDescription/{OAI_DC}dc/{DC}description")
    assert description.text == "How-to"


def test_list_sets_has_no_resumption(client, brazil):
    root = harvest(client, verb="ListSets", resumptionToken="anything")

    assert error_codes(root) == ["badResumptionToken"]


# GetRecord


def test_get_record_in_dublin_core(client, brazil):
    root = harvest(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:collective-brain:brazil"
    )

    record = root.find(f"{OAI}GetRecord/{OAI}record")
    header = record.find(f"{OAI}header")
    assert header.findtext(f"{OAI}identifier") == "oai:collective-brain:brazil"
    assert header.findtext(f"{OAI}datestamp") == "2024-03-10T12:30:15Z"
    assert [spec.text for spec in header.findall(f"{OAI}setSpec")] == [
        "type:country-case-study",
        "collection:turin-2010",
    ]
    dc = record.find(f"{OAI}metadata/{OAI_DC}dc")
    assert dc.get(f"{XSI}schemaLocation").endswith("oai_dc.xsd")

    def values(name):
        return [element.text for element in dc.findall(f"{DC}{name}")]

    titles = {element.get(XML_LANG): element.text for element in dc.findall(f"{DC}title")}
    assert titles == {
        "en": "Public policies for the SSE in Brazil: A case study",
        "fr": "Politiques publiques pour l’ESS au Brésil",
    }
    assert values("creator") == ["Lima, Ana", "Silva, João"]
    assert values("subject") == ["Decent work"]
    descriptions = {element.get(XML_LANG) for element in dc.findall(f"{DC}description")}
    assert descriptions == {"en", "fr"}
    assert values("publisher") == ["International Labour Organization"]
    assert values("date") == ["2016-11"]
    assert values("type") == ["Text", "Country case study on public policy"]
    assert values("format") == ["application/pdf"]
    assert values("identifier") == [
        "http://testserver/en/library/brazil/",
        "https://doi.org/10.1234/sse.2016",
        "urn:isbn:978-92-2-000000-0",
    ]
    assert values("language") == ["en", "pt"]
    assert values("coverage") == ["Brazil", "Argentina", "Americas"]
    assert values("relation") == ["Turin 2010 reader"]


@pytest.mark.parametrize(
    ("precision", "expected"),
    [(DatePrecision.YEAR, "2016"), (DatePrecision.MONTH, "2016-11"), (DatePrecision.DAY, "2016-11-05")],
)  # fmt: skip
def test_dates_follow_their_precision(client, db, precision, expected):
    make_publication(
        slug="dated", publication_date=datetime.date(2016, 11, 5), date_precision=precision
    )

    root = harvest(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:collective-brain:dated"
    )

    assert root.findtext(f".//{DC}date") == expected


def test_get_record_errors(client, brazil, private):
    for identifier in ["oai:collective-brain:draft", "oai:collective-brain:scheduled",
                       "oai:collective-brain:missing", "oai:collective-brain:"]:  # fmt: skip
        root = harvest(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
        assert error_codes(root) == ["idDoesNotExist"]
        assert root.find(f"{OAI}request").get("identifier") == identifier

    root = harvest(
        client, verb="GetRecord", metadataPrefix="mods", identifier="oai:collective-brain:brazil"
    )
    assert error_codes(root) == ["cannotDisseminateFormat"]


def test_text_with_control_characters_stays_well_formed(client, db):
    make_publication(slug="odd", title="Bad \x0b byte & <tags>", summary_en="Form\x0cfeed")

    root = harvest(
        client, verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:collective-brain:odd"
    )

    assert root.findtext(f".//{DC}title") == "Bad  byte & <tags>"


# ListIdentifiers and ListRecords


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_lists_only_published_publications(client, brazil, private, verb):
    root = harvest(client, verb=verb, metadataPrefix="oai_dc")

    assert identifiers(root) == ["oai:collective-brain:brazil"]
    assert token_of(root) is None
    body = ET.tostring(root, encoding="unicode")
    assert "draft" not in body and "Scheduled" not in body


def test_list_records_carry_metadata_and_identifiers_only_headers(client, brazil):
    records = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    headers = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert len(records.findall(f"{OAI}ListRecords/{OAI}record/{OAI}metadata/{OAI_DC}dc")) == 1
    assert headers.find(f".//{OAI}metadata") is None
    assert len(headers.findall(f"{OAI}ListIdentifiers/{OAI}header")) == 1


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_list_errors(client, brazil, verb):
    assert error_codes(harvest(client, verb=verb, metadataPrefix="mods")) == [
        "cannotDisseminateFormat"
    ]
    assert error_codes(harvest(client, verb=verb, metadataPrefix="oai_dc", set="type:none")) == [
        "noRecordsMatch"
    ]
    assert error_codes(harvest(client, verb=verb, metadataPrefix="oai_dc", set="bogus")) == [
        "noRecordsMatch"
    ]
    assert error_codes(harvest(client, verb=verb, resumptionToken="not-a-token")) == [
        "badResumptionToken"
    ]


def test_no_records_match_an_empty_repository(client, db, private):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")

    assert error_codes(root) == ["noRecordsMatch"]


@pytest.fixture
def dated(db):
    """Three publications changed on 1, 2 and 3 February 2024 at noon."""
    publications = {}
    for day in (1, 2, 3):
        publication = make_publication(slug=f"day-{day}")
        stamp(publication, utc(2024, 2, day, 12, 0, 0, 250_000))
        publications[day] = publication
    return publications


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2024-02-02"}, [2, 3]),
        ({"until": "2024-02-02"}, [1, 2]),
        ({"from": "2024-02-02", "until": "2024-02-02"}, [2]),
        ({"from": "2024-02-02T12:00:00Z"}, [2, 3]),
        ({"from": "2024-02-02T12:00:01Z"}, [3]),
        ({"until": "2024-02-02T12:00:00Z"}, [1, 2]),
        ({"until": "2024-02-02T11:59:59Z"}, [1]),
        ({"from": "2024-02-01T12:00:00Z", "until": "2024-02-01T12:00:00Z"}, [1]),
        ({"from": "2024-02-04"}, []),
        ({"until": "2024-01-31"}, []),
    ],
)
def test_from_and_until(client, dated, params, expected):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)

    if expected:
        assert identifiers(root) == [f"oai:collective-brain:day-{day}" for day in expected]
    else:
        assert error_codes(root) == ["noRecordsMatch"]
    assert root.find(f"{OAI}request").attrib == {
        "verb": "ListIdentifiers",
        "metadataPrefix": "oai_dc",
        **params,
    }


def test_scheduled_publication_is_harvested_when_it_goes_public(client, db):
    publication = make_publication(slug="later")
    Publication.objects.filter(pk=publication.pk).update(
        updated_at=utc(2024, 1, 1), published_at=utc(2024, 6, 1, 8)
    )

    root = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2024-05-01"}
    )

    assert root.findtext(f".//{OAI}datestamp") == "2024-06-01T08:00:00Z"


def test_sets_select_records(client, brazil, dated):
    guide = make_type("guide", name_en="Guide")
    Publication.objects.filter(slug="day-2").update(type=guide)

    def listed(set_spec):
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=set_spec)
        return [identifier.rsplit(":", 1)[1] for identifier in identifiers(root)]

    assert listed("type:guide") == ["day-2"]
    assert listed("type:country-case-study") == ["day-1", "day-3", "brazil"]
    assert listed("type") == ["day-1", "day-2", "day-3", "brazil"]
    assert listed("collection:turin-2010") == ["brazil"]
    assert listed("collection") == ["brazil"]


@pytest.fixture
def many(db):
    """250 published publications, created cheaply, plus a draft."""
    publication_type = make_type()
    published_at = timezone.now() - datetime.timedelta(days=1)
    Publication.objects.bulk_create(
        Publication(
            slug=f"bulk-{number:03d}",
            title=f"Publication {number}",
            title_en=f"Publication {number}",
            type=publication_type,
            publication_date=datetime.date(2020, 1, 1),
            status=PublicationStatus.PUBLISHED,
            published_at=published_at,
        )
        for number in range(250)
    )
    make_publication(slug="draft", published=False)


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
def test_resumption_tokens_page_through_the_list(client, many, verb):
    seen, cursors = [], []
    root = harvest(client, verb=verb, metadataPrefix="oai_dc")
    while True:
        seen += identifiers(root)
        token = token_of(root)
        assert token is not None
        assert token.get("completeListSize") == "250"
        cursors.append(token.get("cursor"))
        if not token.text:
            break
        root = harvest(client, verb=verb, resumptionToken=token.text)
        assert root.find(f"{OAI}request").attrib == {"verb": verb, "resumptionToken": token.text}

    assert cursors == ["0", "100", "200"]
    assert len(seen) == 250
    assert set(seen) == {f"oai:collective-brain:bulk-{number:03d}" for number in range(250)}


def test_pages_stay_consistent_when_records_change_meanwhile(client, many):
    first = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    first_page = identifiers(first)
    # A record of the first page changes: it moves to the end of the list.
    Publication.objects.filter(slug=first_page[0].rsplit(":", 1)[1]).update(
        updated_at=timezone.now()
    )

    seen = list(first_page)
    root = harvest(client, verb="ListIdentifiers", resumptionToken=token_of(first).text)
    while True:
        seen += identifiers(root)
        if not token_of(root).text:
            break
        root = harvest(client, verb="ListIdentifiers", resumptionToken=token_of(root).text)

    assert set(seen) == {f"oai:collective-brain:bulk-{number:03d}" for number in range(250)}


@override_settings(OAI_PAGE_SIZE=2)
def test_resumption_keeps_the_selection(client, brazil, dated):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-02-02"})
    token = token_of(root)
    assert token.get("completeListSize") == "3"  # day-2, day-3 and brazil

    second = harvest(client, verb="ListRecords", resumptionToken=token.text)

    assert identifiers(root) + identifiers(second) == [
        "oai:collective-brain:day-2",
        "oai:collective-brain:day-3",
        "oai:collective-brain:brazil",
    ]
    assert token_of(second).text is None
    assert token_of(second).get("cursor") == "2"


@override_settings(OAI_PAGE_SIZE=2)
def test_bad_resumption_tokens(client, dated):
    token = token_of(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")).text

    for params in [
        {"verb": "ListRecords", "resumptionToken": token},  # another verb's token
        {"verb": "ListIdentifiers", "resumptionToken": token[:-3] + "xyz"},  # tampered
        {"verb": "ListIdentifiers", "resumptionToken": ""},
    ]:
        assert error_codes(harvest(client, **params)) == ["badResumptionToken"]
    root = harvest(client, verb="ListIdentifiers", resumptionToken=token, metadataPrefix="oai_dc")
    assert error_codes(root) == ["badArgument"]


def test_list_records_queries_do_not_grow_with_records(client, db):
    collection = Collection.objects.create(slug="reader", title_en="Reader")
    themes = [make_theme("decent-work"), make_theme("gender-equality")]

    def publish(count, start):
        for number in range(start, start + count):
            publication = make_publication(
                slug=f"p-{number}", authors=[f"Author {number}", "Lima, Ana"], themes=themes
            )
            make_version(publication, "en", text=f"Cooperatives, part {number}.")
            publication.collections.add(collection)

    def queries(verb):
        with CaptureQueriesContext(connection) as captured:
            harvest(client, verb=verb, metadataPrefix="oai_dc")
        return len(captured)

    publish(3, 0)
    few = [queries("ListRecords"), queries("ListIdentifiers")]
    publish(27, 3)
    many = [queries("ListRecords"), queries("ListIdentifiers")]

    assert few == many
