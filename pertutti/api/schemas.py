"""Open Referral HSDS 3.0 shapes of the API (with our documented extensions).

Plain pydantic models, not ninja's Schema: the views build dicts, and Schema's resolver
for ORM objects cost 3 ms per page of 20 services (a tenth of a search's budget).
"""

from datetime import date

from pydantic import BaseModel as Schema


class OrganizationOut(Schema):
    id: str
    name: str


class LocationOut(Schema):
    id: str
    address: str
    postcode: str
    municipality: str
    latitude: float | None
    longitude: float | None
    placement: str  # extension: exact / municipality_centre / none


class LanguageOut(Schema):
    code: str
    name: str


class ServiceOut(Schema):
    id: str
    name: str
    description: str
    eligibility_description: str
    fees_description: str
    application_process: str
    status: str
    assured_date: date | None
    url: str
    email: str
    organization: OrganizationOut
    locations: list[LocationOut]
    languages: list[LanguageOut]
    # Extensions (docs/data-model.md): the spreadsheet's code, the category code, the
    # language the texts are in, whether it is free and open now, and what matched.
    code: str
    category: str
    text_language: str
    free: bool
    open_now: bool | None
    distance_km: float | None
    # What the reader sees in the service that their words met ("medico di base (tabib)");
    # empty when found by meaning only (docs/search.md, "The matches line").
    matched: list[str]


class ServicePage(Schema):
    # With `search`, the services that match (the relevance threshold), not every service
    # with some similarity.
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[ServiceOut]


class Suggestion(Schema):
    text: str
    kind: str  # "service" or "category"
    url: str


class ErrorOut(Schema):
    detail: str
    invalid: list[str] = []
