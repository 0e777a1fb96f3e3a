"""A small locator for print: where a service lies in its territory, without tiles.

Every municipality of the territory is a dot, the service a pin, its municipality named:
enough to tell "Codogno, in the south" from "Lodi, in the north" on a sheet handed over a
desk, with no tile server and nothing fetched.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import cos, radians

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from pertutti.territories.models import Territory

WIDTH = 100.0  # SVG units; CSS gives the printed size


@dataclass(frozen=True)
class Frame:
    south: float
    west: float
    north: float
    east: float

    @property
    def height(self) -> float:
        # Longitude degrees shrink with latitude: keep the territory's real shape.
        mid = radians((self.south + self.north) / 2)
        ratio = (self.north - self.south) / max((self.east - self.west) * cos(mid), 1e-9)
        return round(WIDTH * ratio, 2)

    def point(self, lat: float, lon: float) -> tuple[float, float]:
        x = (lon - self.west) / max(self.east - self.west, 1e-9) * WIDTH
        y = (self.north - lat) / max(self.north - self.south, 1e-9) * self.height
        return round(x, 2), round(y, 2)


def territory_frame(territory: Territory) -> Frame:
    return Frame(
        float(territory.bound_south),
        float(territory.bound_west),
        float(territory.bound_north),
        float(territory.bound_east),
    )


def locator_svg(
    frame: Frame,
    towns: Sequence[tuple[float, float]],
    at: tuple[float, float],
    label: str,
) -> SafeString:
    """The territory's municipalities as dots, `at` (lat, lon) as a pin labelled `label`."""
    height = frame.height
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="0.9" fill="#9aa3ad"/>', (frame.point(*t) for t in towns)
    )
    x, y = frame.point(*at)
    anchor = "end" if x > WIDTH * 0.6 else "start"
    dx = -3.5 if anchor == "end" else 3.5
    return format_html(
        '<svg class="locator" viewBox="-4 -4 {} {}" xmlns="http://www.w3.org/2000/svg" '
        'role="img"><rect x="-3" y="-3" width="{}" height="{}" rx="3" fill="none" '
        'stroke="#c4cad1" stroke-width="0.6"/>{}'
        '<circle cx="{}" cy="{}" r="3" fill="#b3261e" stroke="#fff" stroke-width="0.8"/>'
        '<text x="{}" y="{}" font-size="6" text-anchor="{}" fill="#1d2733">{}</text></svg>',
        WIDTH + 8,
        height + 8,
        WIDTH + 6,
        height + 6,
        dots,
        x,
        y,
        round(x + dx, 2),
        round(y + 2, 2),
        anchor,
        label,
    )
