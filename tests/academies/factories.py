"""Builders for Academy tests."""

import itertools

from academies.models import Edition, Participation, ParticipationRole

_numbers = itertools.count(100)


def make_edition(city="Madrid", country="ES", **fields):
    number = fields.pop("number", next(_numbers))
    fields.setdefault("slug", f"{number}-{city.lower().replace(' ', '-')}")
    fields.setdefault("city_en", city)
    return Edition.objects.create(number=number, country=country, **fields)


def enrol(user, edition, role=ParticipationRole.PARTICIPANT, **fields):
    return Participation.objects.create(user=user, edition=edition, role=role, **fields)
