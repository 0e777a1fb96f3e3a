"""A territory is one deployment's area (Lodi is the first) and its municipalities."""

from decimal import Decimal

from django.db import models


class Territory(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    area_name = models.CharField(max_length=200, blank=True)
    owner = models.CharField(max_length=200, blank=True, help_text="The body that runs the map.")
    source_language = models.CharField(max_length=10, default="it")
    offered_languages = models.JSONField(default=list, help_text="Language codes, in menu order.")
    phone_region = models.CharField(max_length=2, default="IT")
    time_zone = models.CharField(max_length=64, default="Europe/Rome")
    map_centre_latitude = models.DecimalField(max_digits=9, decimal_places=6)
    map_centre_longitude = models.DecimalField(max_digits=9, decimal_places=6)
    map_zoom = models.PositiveSmallIntegerField(default=10)
    bound_south = models.DecimalField(max_digits=9, decimal_places=6)
    bound_west = models.DecimalField(max_digits=9, decimal_places=6)
    bound_north = models.DecimalField(max_digits=9, decimal_places=6)
    bound_east = models.DecimalField(max_digits=9, decimal_places=6)
    emergency_numbers = models.JSONField(
        default=list,
        help_text='Always shown on every page: [{"number": "112", "kind": "general"}, ...]; '
        "kinds: general, violence, trafficking, health, children.",
    )
    contact_email = models.EmailField(blank=True, help_text="The project's contact address.")
    sample_data = models.BooleanField(
        default=False, help_text="The whole site shows the sample-data banner."
    )

    class Meta:
        verbose_name_plural = "territories"

    def __str__(self) -> str:
        return self.name

    def contains(self, latitude: Decimal, longitude: Decimal) -> bool:
        return (
            self.bound_south <= latitude <= self.bound_north
            and self.bound_west <= longitude <= self.bound_east
        )


class Municipality(models.Model):
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="municipalities"
    )
    istat_code = models.CharField(max_length=6)
    name = models.CharField(max_length=120)
    # Matching key (see territories.names.fold_name): lets "S. Angelo" find "Sant'Angelo".
    name_key = models.CharField(max_length=120, editable=False)
    province = models.CharField(max_length=2)
    postcode = models.CharField(max_length=5)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)

    class Meta:
        verbose_name_plural = "municipalities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "istat_code"], name="unique_istat_code"),
            models.UniqueConstraint(fields=["territory", "name_key"], name="unique_name_key"),
        ]

    def __str__(self) -> str:
        return self.name
