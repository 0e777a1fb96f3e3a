"""Stable names of translatable texts, shared by XLIFF files and demo data.

A unit id names the object by its natural key (a service's code, a category's code),
the field, and the first 16 hex digits of the fingerprint of the Italian it shows:
`service.LPT-001.description.9f86d081884c7d65`. The same id means the same text in
any database, and a changed Italian text gets a new id.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from pertutti.directory.models import Organization, Schedule, Service
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Territory
from pertutti.translations.models import SourceText

FINGERPRINT_DIGITS = 16
UNIT_ID = re.compile(r"^(service|schedule|organization|category)\.(.+)\.([a-z_]+)\.([0-9a-f]{16})$")


@dataclass(frozen=True)
class UnitKey:
    kind: str
    key: str
    field: str
    fingerprint: str  # the first 16 hex digits

    def id(self) -> str:
        return f"{self.kind}.{self.key}.{self.field}.{self.fingerprint}"


def natural_key(source: SourceText, obj: models.Model) -> tuple[str, str]:
    if isinstance(obj, Service):
        return "service", obj.code
    if isinstance(obj, Schedule):
        return "schedule", obj.service.code
    if isinstance(obj, Category):
        return "category", obj.code
    return "organization", str(obj.pk)


def unit_keys(sources: list[SourceText]) -> dict[int, UnitKey]:
    """Unit keys of many sources, reading their objects in one query per model."""
    by_type: dict[int, list[SourceText]] = {}
    for source in sources:
        by_type.setdefault(source.content_type_id, []).append(source)
    keys: dict[int, UnitKey] = {}
    for ct_id, group in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue  # a model that no longer exists
        queryset = model.objects.all()
        if model is Schedule:
            queryset = queryset.select_related("service")
        objects = queryset.in_bulk([s.object_id for s in group])
        for source in group:
            obj = objects.get(source.object_id)
            if obj is None:
                continue  # the object was deleted; its texts are no longer worth translating
            kind, key = natural_key(source, obj)
            fp = source.fingerprint[:FINGERPRINT_DIGITS]
            keys[source.pk] = UnitKey(kind, key, source.field, fp)
    return keys


def parse_unit_id(unit_id: str) -> UnitKey | None:
    match = UNIT_ID.match(unit_id)
    return UnitKey(*match.groups()) if match else None


def find_source(territory: Territory, key: UnitKey) -> SourceText | None:
    """The SourceText a unit names, whatever its fingerprint (the caller compares it)."""
    lookups: dict[str, tuple[type[models.Model], dict[str, str]]] = {
        "service": (Service, {"code": key.key, "territory": territory}),
        "schedule": (Schedule, {"service__code": key.key, "service__territory": territory}),
        "category": (Category, {"code": key.key}),
        "organization": (Organization, {"pk": key.key, "territory": territory}),
    }
    model, filters = lookups[key.kind]
    if key.kind == "organization" and not key.key.isdigit():
        return None
    obj = model.objects.filter(**filters).first()
    if obj is None:
        return None
    return SourceText.objects.filter(
        territory=territory,
        content_type=ContentType.objects.get_for_model(model),
        object_id=obj.pk,
        field=key.field,
    ).first()
