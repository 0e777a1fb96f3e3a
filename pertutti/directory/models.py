"""The service directory, named after Open Referral HSDS 3.0.

HSDS has organization, service, location, phone and schedule; we keep one
Schedule per service with its weekly rules, and one Location per service as the
spreadsheet gives one address per row. `code` is the spreadsheet's stable id.
"""

from django.db import models

from pertutti.directory.phones import Phone as ParsedPhone
from pertutti.taxonomy.models import Category
from pertutti.territories.models import Municipality, Territory


class OrganizationKind(models.TextChoices):
    PUBLIC_BODY = "public_body", "public body"
    HEALTH_AUTHORITY = "health_authority", "health authority"
    POLICE = "police", "police"
    SCHOOL = "school", "school"
    MUNICIPALITY = "municipality", "municipality or social district"
    THIRD_SECTOR = "third_sector", "third sector"
    RELIGIOUS_BODY = "religious_body", "religious body"
    TRADE_UNION = "trade_union", "trade union or patronato"
    PROFESSIONAL_BODY = "professional_body", "professional body"
    EMERGENCY_SERVICE = "emergency_service", "emergency service"
    OTHER = "other", "other"


class Organization(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="organizations")
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    kind_text = models.CharField(max_length=300, blank=True, help_text="As the sender wrote it.")
    description = models.TextField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    trusted = models.BooleanField(
        default=False, help_text="Its editors publish directly, without a review."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="unique_organization_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "active"
    INACTIVE = "inactive", "inactive"


class Service(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="services")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="services"
    )
    code = models.CharField(max_length=40, help_text="The spreadsheet's stable id, e.g. LPT-001.")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    eligibility = models.TextField(blank=True, help_text="Destinatari: who the service is for.")
    required_documents = models.TextField(blank=True)
    cost = models.TextField(blank=True)
    free = models.BooleanField(default=False, help_text="Derived from the cost text.")
    application_process = models.TextField(blank=True, help_text="How to access, as written.")
    # Derived from application_process; several may hold at once.
    walk_in = models.BooleanField(default=False)
    by_appointment = models.BooleanField(default=False)
    by_referral = models.BooleanField(default=False)
    online = models.BooleanField(default=False)
    by_phone = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="services")
    assured_date = models.DateField(null=True, blank=True, help_text="Last verified.")
    languages = models.JSONField(default=list, help_text="ISO 639-1 codes spoken at the desk.")
    languages_note = models.TextField(blank=True)
    accessibility = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    sample_data = models.BooleanField(
        default=False, help_text="Imported from a sample dataset: pages must say so."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The number of the published version (editorial.ServiceVersion); an edit made from an
    # older one is refused instead of silently undoing a change (optimistic locking).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="unique_service_code"),
        ]
        # Every public page asks when the territory's data last changed (Last-Modified) and
        # counts its active services: an index lookup instead of a scan (30 ms at 50,000).
        indexes = [
            models.Index(fields=["territory", "updated_at"], name="service_last_change"),
            models.Index(fields=["territory", "status"], name="service_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Placement(models.TextChoices):
    EXACT = "exact", "exact coordinates"
    MUNICIPALITY_CENTRE = "municipality_centre", "centre of the municipality"
    NONE = "none", "not placed"


class Location(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="locations"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    placement = models.CharField(max_length=24, choices=Placement.choices, default=Placement.NONE)

    def __str__(self) -> str:
        return ", ".join(p for p in [self.address, str(self.municipality or "")] if p)


class PhoneNumber(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=20, help_text="E.164, or the digits of a short code.")
    is_short_code = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.parsed().national()

    def parsed(self) -> ParsedPhone:
        return ParsedPhone(number=self.number, is_short_code=self.is_short_code)


class Schedule(models.Model):
    """Opening hours of a service: structured rules plus the original text, verbatim."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="schedule")
    original_text = models.TextField(blank=True)
    always_open = models.BooleanField(default=False)
    by_appointment = models.BooleanField(default=False)
    closed_months = models.JSONField(default=list, help_text="Months 1-12 when it is closed.")
    unparsed_text = models.TextField(blank=True, help_text="Parts the parser did not understand.")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return self.original_text


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class OpeningHours(models.Model):
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()
    label = models.CharField(max_length=60, blank=True, help_text='E.g. "segreteria".')

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"
