"""OAI-PMH 2.0 endpoint at /oai: the published library, harvested as Dublin Core (oai_dc).

Specification: http://www.openarchives.org/OAI/openarchivesprotocol.html

* Items are published publications only; drafts and scheduled ones do not exist here.
* Identifiers are ``oai:<OAI_REPOSITORY_IDENTIFIER>:<slug>`` (setting, default
  ``collective-brain``).
* A record's datestamp is the later of its last change and its publication time (UTC,
  seconds), so a publication scheduled ahead is harvested when it goes public.
* Sets: ``type`` and ``type:<slug>`` for publication types, ``collection`` and
  ``collection:<slug>`` for collections.
* Lists are paged by ``OAI_PAGE_SIZE`` (100) with signed resumption tokens that keep the
  position as a (datestamp, id) key: pages stay correct when records change meanwhile.
* Deleted records are not tracked (deletedRecord "no").
"""

import datetime
import re
import xml.etree.ElementTree as ET
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.db.models import Exists, F, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Greatest
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django_countries import countries

from publications.models import (
    Authorship,
    Collection,
    DatePrecision,
    LanguageVersion,
    Publication,
    PublicationType,
    Region,
)

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# Names are written with their prefixes and each prefix is declared where it is used
# (ElementTree would otherwise invent ns0:… prefixes or need process-wide registration).
XML_LANG = "xml:lang"
SCHEMA_LOCATION = "xsi:schemaLocation"

METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
TOKEN_SALT = "publications.oai.resumption"

# Arguments each verb accepts: required, optional, exclusive.
VERBS = {
    "Identify": (set(), set(), None),
    "ListMetadataFormats": (set(), {"identifier"}, None),
    "ListSets": (set(), set(), "resumptionToken"),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}, "resumptionToken"),
    "GetRecord": ({"identifier", "metadataPrefix"}, set(), None),
}

_ILLEGAL_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# Settings


def page_size() -> int:
    return getattr(settings, "OAI_PAGE_SIZE", 100)


def repository_identifier() -> str:
    return getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "collective-brain")


def admin_email() -> str:
    return getattr(settings, "OAI_ADMIN_EMAIL", "") or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def oai_identifier(publication) -> str:
    return f"oai:{repository_identifier()}:{publication.slug}"


def slug_from_identifier(identifier: str) -> str | None:
    prefix = f"oai:{repository_identifier()}:"
    if identifier.startswith(prefix) and len(identifier) > len(prefix):
        return identifier[len(prefix) :]
    return None


# Dates


def format_datestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datestamp(value: str, *, until: bool = False) -> tuple[datetime.datetime, str]:
    """A from/until argument as a UTC bound: (inclusive start, or exclusive end), granularity.

    ``until`` covers the whole second or day it names, as datestamps are truncated.
    """
    try:
        if _SECOND.match(value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
                tzinfo=datetime.UTC
            )
            return moment + datetime.timedelta(seconds=1) if until else moment, "second"
        if _DAY.match(value):
            moment = datetime.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=datetime.UTC)
            return moment + datetime.timedelta(days=1) if until else moment, "day"
    except (ValueError, OverflowError):
        pass
    raise OAIError(
        "badArgument",
        _("“%(value)s” is not a valid date: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ.")
        % {"value": value},
    )


# Querysets


def published():
    """Published publications with their OAI datestamp (see the module docstring)."""
    return Publication.objects.published().annotate(
        oai_datestamp=Greatest(F("updated_at"), F("published_at"))
    )


def with_metadata(queryset):
    return (
        queryset.select_related("type")
        .defer("search_vector")
        .prefetch_related(
            Prefetch("themes"),
            Prefetch("authorships", queryset=Authorship.objects.select_related("author")),
            Prefetch(
                "versions",
                queryset=LanguageVersion.objects.only(
                    "id", "publication_id", "language", "file", "external_url"
                ),
            ),
            Prefetch("collections", queryset=Collection.objects.only("id", "slug", "title_en")),
        )
    )


def with_sets(queryset):
    return (
        queryset.select_related("type")
        .defer("search_vector")
        .prefetch_related(Prefetch("collections", queryset=Collection.objects.only("id", "slug")))
    )


def filter_by_set(queryset, set_spec: str):
    kind, _sep, slug = set_spec.partition(":")
    if kind == "type" and not slug:
        return queryset
    if kind == "type" and ":" not in slug:
        return queryset.filter(type__slug=slug)
    if kind == "collection" and not slug:
        memberships = Publication.collections.through.objects.filter(publication=OuterRef("pk"))
        return queryset.filter(Exists(memberships))
    if kind == "collection" and ":" not in slug:
        return queryset.filter(collections__slug=slug)
    return queryset.none()


# XML building


def clean(text) -> str:
    """Text safe for XML 1.0 (control characters are not allowed even escaped)."""
    return _ILLEGAL_XML_CHARACTERS.sub("", str(text))


def sub(parent, tag, text=None, attrib=None):
    element = ET.SubElement(parent, tag, attrib or {})
    if text is not None:
        element.text = clean(text)
    return element


def oai(tag: str) -> str:
    return tag  # the default namespace of the response


def dc(tag: str) -> str:
    return f"dc:{tag}"


def oai_dc_element(parent):
    return sub(
        parent,
        "oai_dc:dc",
        attrib={
            "xmlns:oai_dc": OAI_DC_NS,
            "xmlns:dc": DC_NS,
            SCHEMA_LOCATION: f"{OAI_DC_NS} {OAI_DC_SCHEMA}",
        },
    )


class Repository:
    """Answers one OAI-PMH request."""

    def __init__(self, request):
        self.request = request
        self.base_url = request.build_absolute_uri(reverse("oai"))
        self.root = request.build_absolute_uri("/").rstrip("/")

    # Request handling

    def respond(self, arguments) -> bytes:
        root = ET.Element(
            "OAI-PMH",
            {"xmlns": OAI_NS, "xmlns:xsi": XSI_NS, SCHEMA_LOCATION: f"{OAI_NS} {OAI_SCHEMA}"},
        )
        sub(root, oai("responseDate"), format_datestamp(timezone.now()))
        request_element = sub(root, oai("request"), self.base_url)
        try:
            verb, args = self.validate(arguments)
            for name, value in [("verb", verb), *sorted(args.items())]:
                request_element.set(name, clean(value))
            getattr(self, verb)(root, args)
        except OAIError as error:
            # Keep the request's echo only when the arguments themselves were fine.
            if error.code in ("badVerb", "badArgument"):
                request_element.attrib.clear()
            for child in list(root)[2:]:
                root.remove(child)
            sub(root, oai("error"), error.message, {"code": error.code})
        return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode()

    def validate(self, arguments):
        verbs = arguments.get("verb", [])
        if len(verbs) != 1:
            raise OAIError(
                "badVerb",
                _("Give the verb once.") if verbs else _("The verb argument is missing."),
            )
        verb = verbs[0]
        if verb not in VERBS:
            raise OAIError("badVerb", _("“%(verb)s” is not an OAI-PMH verb.") % {"verb": verb})
        required, optional, exclusive = VERBS[verb]
        args = {}
        for name, values in arguments.items():
            if name == "verb":
                continue
            if name not in required | optional | {exclusive}:
                raise OAIError(
                    "badArgument",
                    _("%(verb)s does not take the argument “%(name)s”.")
                    % {"verb": verb, "name": name},
                )
            if len(values) != 1:
                raise OAIError(
                    "badArgument", _("The argument “%(name)s” is repeated.") % {"name": name}
                )
            args[name] = values[0]
        if exclusive and exclusive in args:
            if len(args) > 1:
                raise OAIError(
                    "badArgument",
                    _("%(name)s must be the only argument besides the verb.")
                    % {"name": exclusive},
                )
        else:
            missing = sorted(required - args.keys())
            if missing:
                raise OAIError(
                    "badArgument",
                    _("Missing required argument: %(names)s.") % {"names": ", ".join(missing)},
                )
        return verb, args

    # Verbs

    def Identify(self, root, args):
        earliest = published().aggregate(earliest=Min("oai_datestamp"))["earliest"]
        identify = sub(root, oai("Identify"))
        sub(identify, oai("repositoryName"), "Collective Brain")
        sub(identify, oai("baseURL"), self.base_url)
        sub(identify, oai("protocolVersion"), "2.0")
        sub(identify, oai("adminEmail"), admin_email())
        sub(
            identify,
            oai("earliestDatestamp"),
            format_datestamp(earliest or datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)),
        )
        sub(identify, oai("deletedRecord"), "no")
        sub(identify, oai("granularity"), GRANULARITY)
        identifier = repository_identifier()
        if "." in identifier:  # the oai-identifier scheme wants a domain name
            description = sub(identify, oai("description"))
            scheme = sub(
                description,
                "oai-identifier",
                attrib={
                    "xmlns": OAI_IDENTIFIER_NS,
                    SCHEMA_LOCATION: f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}",
                },
            )
            for tag, text in [
                ("scheme", "oai"),
                ("repositoryIdentifier", identifier),
                ("delimiter", ":"),
                ("sampleIdentifier", f"oai:{identifier}:a-publication"),
            ]:
                sub(scheme, tag, text)

    def ListMetadataFormats(self, root, args):
        if "identifier" in args:
            self.get_publication(args["identifier"], published())
        formats = sub(root, oai("ListMetadataFormats"))
        for prefix, (schema, namespace) in METADATA_FORMATS.items():
            element = sub(formats, oai("metadataFormat"))
            sub(element, oai("metadataPrefix"), prefix)
            sub(element, oai("schema"), schema)
            sub(element, oai("metadataNamespace"), namespace)

    def ListSets(self, root, args):
        if "resumptionToken" in args:
            raise OAIError(
                "badResumptionToken", _("The list of sets is complete in one response.")
            )
        sets = sub(root, oai("ListSets"))
        with translation.override("en"):
            self.add_set(sets, "type", _("Publication types"), "")
            for publication_type in PublicationType.objects.all():
                self.add_set(
                    sets,
                    f"type:{publication_type.slug}",
                    publication_type.name,
                    publication_type.description,
                )
            self.add_set(sets, "collection", _("Collections"), "")
            for collection in Collection.objects.all():
                self.add_set(
                    sets, f"collection:{collection.slug}", collection.title, collection.description
                )

    def add_set(self, parent, spec, name, description):
        element = sub(parent, oai("set"))
        sub(element, oai("setSpec"), spec)
        sub(element, oai("setName"), name)
        if description:
            dc_element = oai_dc_element(sub(element, oai("setDescription")))
            sub(dc_element, dc("description"), description, {XML_LANG: "en"})

    def ListIdentifiers(self, root, args):
        self.list(root, args, "ListIdentifiers")

    def ListRecords(self, root, args):
        self.list(root, args, "ListRecords")

    def GetRecord(self, root, args):
        self.check_prefix(args["metadataPrefix"])
        publication = self.get_publication(args["identifier"], with_metadata(published()))
        self.add_record(sub(root, oai("GetRecord")), publication)

    # Lists and resumption tokens

    def list(self, root, args, verb):
        if "resumptionToken" in args:
            state = self.load_token(args["resumptionToken"], verb)
        else:
            state = {"prefix": args["metadataPrefix"], "cursor": 0, "after": None}
            bounds = {}
            for name in ("from", "until"):
                if name in args:
                    bounds[name] = parse_datestamp(args[name], until=name == "until")
                    state[name] = args[name]
            if len({granularity for _moment, granularity in bounds.values()}) > 1:
                raise OAIError("badArgument", _("from and until must have the same granularity."))
            if "from" in bounds and "until" in bounds and bounds["from"][0] >= bounds["until"][0]:
                raise OAIError("badArgument", _("from must not be later than until."))
            self.check_prefix(args["metadataPrefix"])  # after badArgument, which comes first
            if "set" in args:
                state["set"] = args["set"]

        queryset = published()
        if "from" in state:
            queryset = queryset.filter(oai_datestamp__gte=parse_datestamp(state["from"])[0])
        if "until" in state:
            queryset = queryset.filter(
                oai_datestamp__lt=parse_datestamp(state["until"], until=True)[0]
            )
        if "set" in state:
            queryset = filter_by_set(queryset, state["set"])
        complete_size = queryset.count()
        if state["after"]:
            moment, pk = datetime.datetime.fromisoformat(state["after"][0]), state["after"][1]
            queryset = queryset.filter(
                Q(oai_datestamp__gt=moment) | Q(oai_datestamp=moment, pk__gt=pk)
            )
        queryset = queryset.order_by("oai_datestamp", "pk")
        queryset = with_metadata(queryset) if verb == "ListRecords" else with_sets(queryset)
        page = list(queryset[: page_size() + 1])
        if not page:
            raise OAIError("noRecordsMatch", _("No records match these arguments."))
        has_more, page = len(page) > page_size(), page[: page_size()]

        container = sub(root, oai(verb))
        for publication in page:
            if verb == "ListRecords":
                self.add_record(container, publication)
            else:
                self.add_header(container, publication)
        if state["cursor"] or has_more:
            token = ""
            if has_more:
                last = page[-1]
                token = signing.dumps(
                    {
                        **state,
                        "verb": verb,
                        "cursor": state["cursor"] + len(page),
                        "after": [last.oai_datestamp.isoformat(), last.pk],
                    },
                    salt=TOKEN_SALT,
                    compress=True,
                )
            sub(
                container,
                oai("resumptionToken"),
                token,
                {"completeListSize": str(complete_size), "cursor": str(state["cursor"])},
            )

    def load_token(self, token, verb):
        try:
            state = signing.loads(token, salt=TOKEN_SALT)
            if state.pop("verb") != verb or not isinstance(state.get("cursor"), int):
                raise ValueError(token)
            after = state["after"]
            datetime.datetime.fromisoformat(after[0])
            int(after[1])
            for name in ("from", "until"):
                if name in state:
                    parse_datestamp(state[name])
        except (signing.BadSignature, ValueError, TypeError, KeyError, IndexError, OAIError):
            raise OAIError(
                "badResumptionToken", _("This resumption token is invalid or has expired.")
            ) from None
        return state

    def check_prefix(self, prefix):
        if prefix not in METADATA_FORMATS:
            raise OAIError(
                "cannotDisseminateFormat",
                _("The metadata format “%(prefix)s” is not supported; use oai_dc.")
                % {"prefix": prefix},
            )

    def get_publication(self, identifier, queryset):
        slug = slug_from_identifier(identifier)
        publication = queryset.filter(slug=slug).first() if slug else None
        if publication is None:
            raise OAIError(
                "idDoesNotExist",
                _("No item has the identifier “%(identifier)s”.") % {"identifier": identifier},
            )
        return publication

    # Records

    def add_header(self, parent, publication):
        header = sub(parent, oai("header"))
        sub(header, oai("identifier"), oai_identifier(publication))
        sub(header, oai("datestamp"), format_datestamp(publication.oai_datestamp))
        sub(header, oai("setSpec"), f"type:{publication.type.slug}")
        for collection in publication.collections.all():
            sub(header, oai("setSpec"), f"collection:{collection.slug}")

    def add_record(self, parent, publication):
        record = sub(parent, oai("record"))
        self.add_header(record, publication)
        metadata = sub(record, oai("metadata"))
        self.add_dublin_core(metadata, publication)

    def add_dublin_core(self, parent, publication):
        element = oai_dc_element(parent)
        languages = [code for code, _name in settings.LANGUAGES]
        for code in languages:
            title = getattr(publication, f"title_{code}", "")
            if title:
                subtitle = getattr(publication, f"subtitle_{code}", "")
                text = f"{title}: {subtitle}" if subtitle else title
                sub(element, dc("title"), text, {XML_LANG: code})
        for authorship in publication.authorships.all():
            sub(element, dc("creator"), authorship.author.name)
        for theme in publication.themes.all():
            sub(element, dc("subject"), theme.name_en or theme.name, {XML_LANG: "en"})
        for code in languages:
            summary = getattr(publication, f"summary_{code}", "")
            if summary:
                sub(element, dc("description"), summary, {XML_LANG: code})
        if publication.publisher:
            sub(element, dc("publisher"), publication.publisher)
        sub(element, dc("date"), self.date(publication))
        sub(element, dc("type"), "Text")
        sub(element, dc("type"), publication.type.name_en or publication.type.name)
        versions = list(publication.versions.all())
        if any(version.file for version in versions):
            sub(element, dc("format"), "application/pdf")
        with translation.override(settings.LANGUAGE_CODE):
            sub(element, dc("identifier"), self.root + publication.get_absolute_url())
        if publication.doi:
            doi = publication.doi.strip()
            sub(element, dc("identifier"), doi if "://" in doi else f"https://doi.org/{doi}")
        if publication.isbn:
            sub(element, dc("identifier"), f"urn:isbn:{publication.isbn.strip()}")
        if publication.handle_url:
            sub(element, dc("identifier"), publication.handle_url)
        for version in versions:
            sub(element, dc("language"), version.language)
        with translation.override("en"):
            for code in publication.countries:
                sub(element, dc("coverage"), countries.name(code) or code)
            regions = dict(Region.choices)
            for region in publication.regions:
                sub(element, dc("coverage"), regions.get(region, region))
        for collection in publication.collections.all():
            sub(element, dc("relation"), collection.title_en or collection.slug)

    @staticmethod
    def date(publication) -> str:
        date = publication.publication_date
        if publication.date_precision == DatePrecision.YEAR:
            return f"{date.year:04d}"
        if publication.date_precision == DatePrecision.MONTH:
            return f"{date.year:04d}-{date.month:02d}"
        return date.isoformat()


@csrf_exempt
def oai_pmh(request):
    """The OAI-PMH endpoint: GET or POST (application/x-www-form-urlencoded)."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    arguments = dict((request.POST if request.method == "POST" else request.GET).lists())
    body = Repository(request).respond(arguments)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
