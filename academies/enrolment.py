"""Enrolment of an edition's people from a CSV file: parse, plan row by row, then apply.

The plan is computed again when it is applied, from the same parsed rows, so whatever changed
in between is taken into account, and applying the same file twice changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from academies.models import (
    EditionInvitation,
    Participation,
    ParticipationRole,
    invitation_expiry,
)
from academies.services import invitation_send

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 2000
PAYLOAD_MAX_AGE = 60 * 60  # seconds between the preview and "apply"

HEADER_ALIASES = {
    "email": "email",
    "e-mail": "email",
    "emailaddress": "email",
    "e-mailaddress": "email",
    "mail": "email",
    "name": "name",
    "fullname": "name",
    "displayname": "name",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "institution": "organisation",
    "country": "country",
    "role": "role",
    "language": "language",
    "lang": "language",
}
FIELDS = ["name", "email", "organisation", "country", "role", "language"]
FIELD_LIMITS = {"name": 150, "organisation": 200, "email": 254}
ROLE_ALIASES = {
    "participant": ParticipationRole.PARTICIPANT,
    "facilitator": ParticipationRole.FACILITATOR,
    "resource person": ParticipationRole.FACILITATOR,
    "resource-person": ParticipationRole.FACILITATOR,
    "facilitator / resource person": ParticipationRole.FACILITATOR,
    "organiser": ParticipationRole.ORGANISER,
    "organizer": ParticipationRole.ORGANISER,
}


class Action:
    LINK = "link"
    UPDATE_ROLE = "update-role"
    UNCHANGED = "unchanged"
    INVITE = "invite"
    ALREADY_INVITED = "already-invited"
    RENEW = "renew"
    ERROR = "error"


ACTION_LABELS = {
    Action.LINK: gettext_lazy("Link the existing account"),
    Action.UPDATE_ROLE: gettext_lazy("Change the role of a participant"),
    Action.UNCHANGED: gettext_lazy("Already a participant: no change"),
    Action.INVITE: gettext_lazy("Invite a new person by e-mail"),
    Action.ALREADY_INVITED: gettext_lazy("Already invited: no change"),
    Action.RENEW: gettext_lazy("Invitation expired: renew it and send it again"),
    Action.ERROR: gettext_lazy("Error: row skipped"),
}


class CsvError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class PlannedRow:
    line: int
    name: str = ""
    email: str = ""
    organisation: str = ""
    country: str = ""
    role: str = ParticipationRole.PARTICIPANT
    language: str = "en"
    errors: list[str] = field(default_factory=list)
    action: str = ""
    user: object = None
    participation: object = None
    invitation: object = None

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, "")

    @property
    def role_label(self):
        return dict(ParticipationRole.choices).get(self.role, self.role)

    @property
    def changes_something(self) -> bool:
        return self.action in {Action.LINK, Action.UPDATE_ROLE, Action.INVITE, Action.RENEW}


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise CsvError(_("This is not a CSV text file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CsvError(_("The file could not be read: save it as CSV in UTF-8."))


def _header_key(header: str) -> str:
    compact = "".join((header or "").strip().lower().replace("_", "").split())
    return HEADER_ALIASES.get(compact, "")


def parse_csv(data: bytes) -> list[dict]:
    """Rows of the file as dicts of the known columns (with their line numbers)."""
    if not data.strip():
        raise CsvError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise CsvError(_("The file is larger than 1 MB."))
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader, None)
        if not header:
            raise CsvError(_("The file is empty."))
        columns = [_header_key(name) for name in header]
        if "email" not in columns:
            raise CsvError(
                _("The first line must name the columns, including one called “email”.")
            )
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvError(_("The file has more than %(count)d rows.") % {"count": MAX_ROWS})
            row = {"line": reader.line_num}
            for column, value in zip(columns, values, strict=False):
                if column and column not in row:
                    row[column] = value.strip()
            rows.append(row)
    except csv.Error as error:
        raise CsvError(
            _("Line %(line)d could not be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise CsvError(_("The file has no rows below its header."))
    return rows


def _country_code(value: str) -> str | None:
    if not value:
        return ""
    code = countries.alpha2(value) if len(value) in (2, 3) else ""
    code = code or countries.by_name(value, insensitive=True)
    return code or None


def _role(value: str) -> str | None:
    if not value:
        return ParticipationRole.PARTICIPANT
    return ROLE_ALIASES.get(" ".join(value.lower().split()))


def _language(value: str) -> str | None:
    languages = {code for code, _name in settings.LANGUAGES}
    if not value:
        return settings.LANGUAGE_CODE
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in languages else None


def clean_row(raw: dict) -> PlannedRow:
    row = PlannedRow(line=int(raw.get("line", 0)))
    for name in FIELDS:
        value = str(raw.get(name, "") or "").strip()
        limit = FIELD_LIMITS.get(name)
        if limit and len(value) > limit:
            row.errors.append(
                _("%(field)s is longer than %(limit)d characters.")
                % {"field": name, "limit": limit}
            )
            value = value[:limit]
        setattr(row, name, value)
    row.email = row.email.lower()
    if not row.email:
        row.errors.append(_("The e-mail address is missing."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append(_("“%(value)s” is not an e-mail address.") % {"value": row.email})
    country = _country_code(row.country)
    if country is None:
        row.errors.append(_("Unknown country “%(value)s”.") % {"value": row.country})
    else:
        row.country = country
    role = _role(row.role)
    if role is None:
        row.errors.append(
            _("Unknown role “%(value)s” (participant, facilitator or organiser).")
            % {"value": row.role}
        )
    else:
        row.role = role
    language = _language(row.language)
    if language is None:
        row.errors.append(
            _("Unknown language “%(value)s” (en, fr, es, pt or it).") % {"value": row.language}
        )
    else:
        row.language = language
    return row


def enrolment_plan(*, edition, rows: list[dict]) -> list[PlannedRow]:
    """What applying the rows would do, row by row, in a fixed number of queries."""
    planned = [clean_row(raw) for raw in rows]
    seen: dict[str, int] = {}
    for row in planned:
        if row.email and not row.errors:
            if row.email in seen:
                row.errors.append(
                    _("The same e-mail address is on line %(line)d.") % {"line": seen[row.email]}
                )
            else:
                seen[row.email] = row.line
    emails = list(seen)
    # Only a verified address proves whose account it is: anyone can sign up with any address.
    accounts = {
        address.lower_email: address.user
        for address in EmailAddress.objects.filter(verified=True)
        .annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails)
        .select_related("user")
    }
    participations = {
        participation.user_id: participation
        for participation in Participation.objects.filter(
            edition=edition, user__in=[user.pk for user in accounts.values()]
        )
    }
    invitations = {
        invitation.email: invitation
        for invitation in EditionInvitation.objects.annotate(email_lower=Lower("email")).filter(
            edition=edition, email_lower__in=emails
        )
    }
    for row in planned:
        if row.errors:
            row.action = Action.ERROR
            continue
        user = accounts.get(row.email)
        if user is not None and not user.is_active:
            row.errors.append(_("The account with this address is deactivated."))
            row.action = Action.ERROR
        elif user is not None:
            row.user = user
            row.participation = participations.get(user.pk)
            if row.participation is None:
                row.action = Action.LINK
            elif row.participation.role != row.role:
                row.action = Action.UPDATE_ROLE
            else:
                row.action = Action.UNCHANGED
        else:
            row.invitation = invitations.get(row.email)
            if row.invitation is not None and row.invitation.accepted_at is None:
                # A pending invitation is left alone while it is valid, renewed once expired.
                expired = row.invitation.is_expired
                row.action = Action.RENEW if expired else Action.ALREADY_INVITED
            else:
                row.action = Action.INVITE
    return planned


@transaction.atomic
def enrolment_apply(*, edition, rows: list[dict], invited_by=None) -> dict[str, int]:
    """Carry the plan out: enrol known accounts, invite new people. Returns counts by action."""
    plan = enrolment_plan(edition=edition, rows=rows)
    counts = dict.fromkeys(ACTION_LABELS, 0)
    for row in plan:
        counts[row.action] += 1
        if row.action == Action.LINK:
            Participation.objects.get_or_create(
                user=row.user, edition=edition, defaults={"role": row.role}
            )
        elif row.action == Action.UPDATE_ROLE:
            row.participation.role = row.role
            row.participation.save(update_fields=["role"])
        elif row.action in {Action.INVITE, Action.RENEW}:
            details = {
                "name": row.name,
                "organisation": row.organisation,
                "country": row.country,
                "role": row.role,
                "language": row.language,
                "invited_by": invited_by,
            }
            invitation = row.invitation
            if invitation is None:
                invitation = EditionInvitation.objects.create(
                    edition=edition, email=row.email, **details
                )
            else:
                for name, value in details.items():
                    setattr(invitation, name, value)
                if row.action == Action.INVITE:
                    # Accepted earlier by an account that no longer exists: a fresh invitation.
                    invitation.token = EditionInvitation._meta.get_field("token").get_default()
                    invitation.accepted_at = invitation.accepted_by = None
                    invitation.created_at = timezone.now()
                # An expired one keeps its link, valid again from now.
                invitation.expires_at = invitation_expiry()
                invitation.save()
            invitation_send(invitation=invitation)
    return counts


def sign_rows(edition, rows: list[dict]) -> str:
    return signing.dumps(rows, salt=f"academies.enrolment.{edition.pk}", compress=True)


def unsign_rows(edition, payload: str) -> list[dict]:
    """The rows of a preview; BadSignature (or its subclass SignatureExpired) when tampered."""
    rows = signing.loads(
        payload, salt=f"academies.enrolment.{edition.pk}", max_age=PAYLOAD_MAX_AGE
    )
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise signing.BadSignature("unexpected payload")
    return rows
