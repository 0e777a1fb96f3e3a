"""Browser tests of the progressive map script (public/static/public/map.js).

A static fixture page implements the server contract; it is served from a
local http.server together with the vendored Leaflet and map.js, and driven by
Debian's Chromium through Playwright (the `chromium` fixture of
tests/browser/conftest.py). No network, no database.
"""

import functools
import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "pertutti" / "public" / "static"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "map_page.html"

VIEWPORT = {"width": 360, "height": 740}
TOTAL = 60  # markers in the fixture
BIG = 50  # services sharing the centre of Lodi

# Sum of cluster counts plus single markers.
COUNT_JS = """() =>
  [...document.querySelectorAll('.pt-cluster')].reduce((s, e) => s + +e.textContent, 0)
  + document.querySelectorAll('.pt-marker').length"""


def variants(page: str) -> dict[str, str]:
    """The fixture and the pages derived from it, by file name."""
    empty = page.replace('data-tiles="http://127.0.0.1:9/{z}/{x}/{y}.png"', 'data-tiles=""')
    start = empty.index('<script type="application/json" id="map-markers">')
    end = empty.index("</script>", start)
    empty = empty[:start] + '<script type="application/json" id="map-markers">[]' + empty[end:]
    assert empty.count('data-tiles=""') == 1 and 'LPT-001"' not in empty.split("<ol")[0]
    no_leaflet = page.replace('<script src="leaflet.js"></script>', "")
    assert no_leaflet != page
    rtl = page.replace('<html lang="en">', '<html dir="rtl" lang="ar">')
    assert rtl != page
    # Every service at the centre of Lodi: more than a popup lists.
    start = page.index('<script type="application/json" id="map-markers">')
    start = page.index("[", start)
    end = page.index("</script>", start)
    markers = json.loads(page[start:end])
    for m in markers:
        m.update(lat=45.3142, lon=9.5036)
    same = json.dumps(markers).replace("<", "\\u003C").replace(">", "\\u003E")
    crowded = page[:start] + same.replace("&", "\\u0026") + page[end:]
    # map.js loads Leaflet itself (as on the site): at once, or when the map comes near.
    lazy = no_leaflet.replace('<link rel="stylesheet" href="leaflet.css">', "").replace(
        '<div id="map" class="map" hidden',
        '<div id="map" class="map" data-leaflet-js="leaflet.js" data-leaflet-css="leaflet.css"',
    )  # no `hidden`: the site reserves the map's box before Leaflet comes
    assert lazy.count('data-leaflet-js="leaflet.js"') == 1
    below = lazy.replace("<h1>Services</h1>", '<h1>Services</h1><div style="height:3000px"></div>')
    # The markers of the visible area come from an endpoint (a file here).
    fetching = page.replace('<div id="map"', '<div id="map" data-markers="markers.json?category=x"')
    failing = page.replace('<div id="map"', '<div id="map" data-markers="missing.json"')
    return {
        "index.html": page,
        "rtl.html": rtl,
        "empty.html": empty,
        "no-leaflet.html": no_leaflet,
        "crowded.html": crowded,
        "lazy.html": lazy.replace('<div id="map"', '<div id="map" data-load="now"'),
        "lazy-below.html": below,
        "fetching.html": fetching,
        "failing.html": failing,
        "markers.json": json.dumps({"markers": AREA, "truncated": False}),
    }


# Services of the visible area that the list's page does not show, with names in Arabic.
AREA = [
    {"code": f"FAR-{n}", "lat": 45.40 + n / 100, "lon": 9.30, "approx": False,
     "name": f"خدمة {n}", "lang": "ar", "url": f"/ar/services/FAR-{n}/"}
    for n in range(1, 6)
] + [{"code": "LPT-001", "lat": 45.3142, "lon": 9.5036, "approx": True, "name": "dup",
      "lang": "it", "url": "/it/services/LPT-001/"}]  # fmt: skip


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    requested: list[str] = []  # paths with query, in order (the server is per module)

    def do_GET(self) -> None:
        _QuietHandler.requested.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("map-site")
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy(STATIC / "vendor" / "leaflet" / name, root / name)
    shutil.copy(STATIC / "public" / "map.js", root / "map.js")
    for name, text in variants(FIXTURE.read_text(encoding="utf-8")).items():
        (root / name).write_text(text, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def context(chromium: Browser) -> Iterator[BrowserContext]:
    ctx = chromium.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(5000)
    try:
        yield ctx
    finally:
        ctx.close()


class Watched:
    """A page plus the errors and dialogs it produced."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []


def open_page(context: BrowserContext, url: str, *, ready: bool = True) -> Watched:
    w = Watched(context.new_page())
    w.page.goto(url, wait_until="domcontentloaded")
    if ready:
        w.page.wait_for_selector("#map:not([hidden]) .pt-cluster")
    return w


def settle(page: Page) -> None:
    """Wait for Leaflet's pan/zoom animations (popup auto-pan) to end."""
    page.wait_for_function("() => !document.querySelector('.leaflet-pan-anim, .leaflet-zoom-anim')")


def zoom(page: Page) -> float:
    return page.evaluate("() => window.testMap.getZoom()")


def check_clusters(w: Watched) -> None:
    page = w.page
    assert page.locator("#map").is_visible()
    assert page.locator(".pt-cluster").count() >= 1
    assert page.evaluate(COUNT_JS) == TOTAL
    # Accessible markers: role=button, focusable, named.
    for sel in (".pt-cluster", ".pt-marker"):
        first = page.locator(sel).first
        assert first.get_attribute("role") == "button"
        assert first.get_attribute("tabindex") == "0"
        assert first.get_attribute("title")
    assert page.locator(".pt-cluster", has_text=str(BIG)).get_attribute("title") == (
        f"{BIG} services here"
    )
    assert page.locator(".pt-marker.pt-approx").count() == 0  # all approx ones are clustered
    w.assert_clean()


def open_big_cluster(w: Watched) -> None:
    page = w.page
    z0 = zoom(page)
    big = page.locator(".pt-cluster").filter(has_text=str(BIG))
    assert big.count() == 1
    big.click()
    links = page.locator(".leaflet-popup-content a")
    links.first.wait_for()
    settle(page)
    assert links.count() == BIG
    assert "Approximate position" in page.locator(".leaflet-popup-content").inner_text()
    assert zoom(page) == z0  # identical points: a list, not a zoom


def test_map_shows_clusters_and_every_marker(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/index.html")
    page = w.page
    check_clusters(w)
    # The no-JS controls are revealed only now the script works.
    assert page.locator("#near-me").is_visible()
    assert page.locator(".show-on-map:visible").count() == TOTAL
    # Leaflet's own prefix is off; the server's attribution (an entity) shows.
    assert page.locator(".leaflet-control-attribution").inner_text().strip() == (
        "© OpenStreetMap contributors"
    )
    # Hostile names never became markup.
    assert page.locator("img[src='x']").count() == 0
    page.wait_for_timeout(200)  # let failing tiles and late errors surface
    w.assert_clean()


def test_identical_points_cluster_lists_its_services(
    context: BrowserContext, static_site: str
) -> None:
    w = open_page(context, f"{static_site}/index.html")
    page = w.page
    open_big_cluster(w)
    link = page.locator(".leaflet-popup-content a", has_text="Lodi service 7").first
    assert link.inner_text() == "Lodi service 7"
    assert link.get_attribute("href") == "/it/services/LPT-007/"
    w.assert_clean()
    with page.expect_navigation():
        link.click()
    assert urlsplit(page.url).path == "/it/services/LPT-007/"


def test_long_list_is_capped(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/crowded.html")
    page = w.page
    cluster = page.locator(".pt-cluster")
    assert cluster.count() == 1 and cluster.inner_text() == str(TOTAL)
    cluster.click()
    items = page.locator(".leaflet-popup-content li")
    items.first.wait_for()
    assert items.count() == 51
    assert page.locator(".leaflet-popup-content li a").count() == 50
    assert items.last.inner_text() == "…"
    # Not every service is approximate: no approximate-position note.
    assert "Approximate" not in page.locator(".leaflet-popup-content").inner_text()
    w.assert_clean()


def test_spread_cluster_zooms_in(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/index.html")
    page = w.page
    z0 = zoom(page)
    spread = page.locator(".pt-cluster").filter(has_not_text=str(BIG))
    assert spread.count() >= 1
    spread.first.click()
    page.wait_for_function("z => window.testMap.getZoom() > z", arg=z0)
    assert page.locator(".leaflet-popup").count() == 0
    # Re-clustered at the new zoom: still every marker, once.
    page.wait_for_function(f"{COUNT_JS}\n  === {TOTAL}")
    assert page.evaluate(COUNT_JS) == TOTAL
    w.assert_clean()


def test_list_and_map_select_each_other(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/index.html")
    page = w.page
    # List -> map, for the service whose name is hostile markup.
    page.locator("#svc-COD-002 .show-on-map").click()
    expect(page.locator("#map")).to_be_in_viewport()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    settle(page)
    assert zoom(page) >= 15
    assert popup.locator("strong").inner_text() == "<img src=x onerror=alert(1)>"
    assert popup.locator("img").count() == 0
    assert popup.locator("a").get_attribute("href") == "/it/services/COD-002/"
    assert popup.locator("a").inner_text() == "Open the service page"
    item = page.locator("#svc-COD-002")
    assert "is-selected" in (item.get_attribute("class") or "")
    assert item.get_attribute("aria-current") == "true"
    assert page.locator("[aria-current]").count() == 1
    # Map -> list: another single marker moves the selection.
    other = page.locator(".pt-marker[title='Codogno service 1']")
    other.click()
    page.wait_for_function(
        "() => document.querySelector('#svc-COD-001').getAttribute('aria-current') === 'true'"
    )
    assert "is-selected" in (page.locator("#svc-COD-001").get_attribute("class") or "")
    expect(page.locator("#svc-COD-001")).to_be_in_viewport()
    assert "is-selected" not in (item.get_attribute("class") or "")
    assert item.get_attribute("aria-current") is None
    assert popup.locator("strong").inner_text() == "Codogno service 1"
    w.assert_clean()


def test_markers_work_from_the_keyboard(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/index.html")
    page = w.page
    page.locator(".pt-marker[title='Orio service']").focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.filter(has_text="Orio service").wait_for()
    assert page.locator("#svc-ORI-001").get_attribute("aria-current") == "true"
    settle(page)
    page.locator(".pt-cluster[title='50 services here']").focus()
    page.keyboard.press(" ")
    popup.filter(has_text="50 services here").wait_for()
    assert popup.locator("a").count() == BIG
    w.assert_clean()


def test_show_on_map_inside_identical_cluster_lists_it(
    context: BrowserContext, static_site: str
) -> None:
    w = open_page(context, f"{static_site}/index.html")
    page = w.page
    page.locator("#svc-LPT-003 .show-on-map").click()
    links = page.locator(".leaflet-popup-content a")
    links.first.wait_for()
    assert links.count() == BIG
    assert page.locator("#svc-LPT-003").get_attribute("aria-current") == "true"
    # Keyboard users land on the service they asked for.
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == (
        "/it/services/LPT-003/"
    )
    w.assert_clean()


@pytest.mark.parametrize(
    ("lat", "lon", "want_lat", "want_lon"),
    [(45.31, 9.50, "45.31", "9.5"), (45.312345, 9.500049, "45.3123", "9.5")],
)
def test_near_me_sends_rounded_position(
    chromium: Browser, static_site: str, lat: float, lon: float, want_lat: str, want_lon: str
) -> None:
    ctx = chromium.new_context(viewport=VIEWPORT, geolocation={"latitude": lat, "longitude": lon})
    try:
        ctx.set_default_timeout(5000)
        ctx.grant_permissions(["geolocation"])
        w = open_page(ctx, f"{static_site}/index.html?category=health&page=3")
        page = w.page
        with page.expect_navigation():
            page.locator("#near-me").click()
        got = urlsplit(page.url)
        assert got.path == "/index.html"
        assert parse_qs(got.query) == {
            "category": ["health"],
            "lat": [want_lat],
            "lon": [want_lon],
            "sort": ["distance"],
        }
        w.assert_clean()
    finally:
        ctx.close()


def test_near_me_denied_shows_message(context: BrowserContext, static_site: str) -> None:
    context.clear_permissions()
    w = open_page(context, f"{static_site}/index.html?category=health")
    page = w.page
    error = page.locator("#near-me-error")
    assert error.is_hidden()
    page.locator("#near-me").click()
    error.wait_for(state="visible")
    assert error.inner_text().startswith("Position not available")
    assert urlsplit(page.url).query == "category=health"
    w.assert_clean()


def test_no_tiles_no_markers_does_not_throw(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/empty.html", ready=False)
    page = w.page
    page.wait_for_selector("#map:not([hidden]) .leaflet-control-zoom")
    page.wait_for_timeout(100)
    assert page.locator(".leaflet-tile").count() == 0
    assert page.locator(".pt-cluster, .pt-marker").count() == 0
    assert zoom(page) == 10  # the data-zoom fallback
    w.assert_clean()


def test_without_leaflet_the_page_stays_a_list(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/no-leaflet.html", ready=False)
    page = w.page
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)
    assert page.locator("#map").is_hidden()
    assert page.locator("#near-me").is_hidden()
    assert page.locator(".show-on-map:visible").count() == 0
    assert page.locator("#results li").count() == TOTAL
    w.assert_clean()


def test_right_to_left_page(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/rtl.html")
    page = w.page
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    check_clusters(w)
    open_big_cluster(w)
    page.keyboard.press("Escape")
    page.locator("#svc-ORI-001 .show-on-map").click()
    popup = page.locator(".leaflet-popup-content")
    popup.filter(has_text="Orio service").wait_for()
    assert page.locator("#svc-ORI-001").get_attribute("aria-current") == "true"
    # The popup is inside the map, horizontally: no left-to-right offset bug.
    box = page.locator(".leaflet-popup").bounding_box()
    map_box = page.locator("#map").bounding_box()
    assert box and map_box
    assert map_box["x"] <= box["x"] and box["x"] + box["width"] <= map_box["x"] + map_box["width"]
    w.assert_clean()


def settled(page: Page) -> None:
    """map.js sets aria-busy on the map while it moves or loads markers."""
    expect(page.locator("#map")).not_to_have_attribute("aria-busy", "true")


def test_leaflet_is_loaded_by_map_js(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/lazy.html")
    page = w.page
    settled(page)
    assert page.evaluate(COUNT_JS) == TOTAL
    assert page.locator("head link[href='leaflet.css']").count() == 1
    assert page.locator("script[src='leaflet.js']").count() == 1
    expect(page.locator("#near-me")).to_be_visible()
    w.assert_clean()


def test_leaflet_waits_until_the_map_comes_near(context: BrowserContext, static_site: str) -> None:
    _QuietHandler.requested.clear()
    w = open_page(context, f"{static_site}/lazy-below.html", ready=False)
    page = w.page
    page.wait_for_load_state("load")
    # The box is there (its size reserved), Leaflet is not.
    expect(page.locator("#map")).to_be_attached()
    assert page.locator("script[src='leaflet.js']").count() == 0
    assert "/leaflet.js" not in _QuietHandler.requested
    page.locator("#map").scroll_into_view_if_needed()
    page.wait_for_selector("#map:not([hidden]) .pt-cluster")
    assert "/leaflet.js" in _QuietHandler.requested
    w.assert_clean()


def test_markers_of_the_visible_area_are_fetched(context: BrowserContext, static_site: str) -> None:
    _QuietHandler.requested.clear()
    w = open_page(context, f"{static_site}/fetching.html")
    page = w.page
    settled(page)
    # The page's own markers plus those of the area; LPT-001 (in both) once.
    page.wait_for_function(f"{COUNT_JS}\n  === {TOTAL + 5}")
    asked = [p for p in _QuietHandler.requested if p.startswith("/markers.json")]
    assert asked
    query = parse_qs(urlsplit(asked[0]).query)
    assert query["category"] == ["x"]  # the page's filters
    south, west, north, east = (float(v) for v in query["bbox"][0].split(","))
    assert -90 <= south < north <= 90 and -180 <= west < east <= 180
    # A marker that came from the endpoint: its name in its language, isolated.
    page.evaluate("() => window.testMap.setView([45.45, 9.30], 15, {animate: false})")
    settled(page)
    page.locator(".pt-marker[title='خدمة 5']").click()
    name = page.locator(".leaflet-popup-content strong bdi")
    expect(name).to_have_text("خدمة 5")
    assert name.get_attribute("lang") == "ar" and name.get_attribute("dir") == "auto"
    assert page.locator(".leaflet-popup-content a").get_attribute("href") == "/ar/services/FAR-5/"
    # Zooming in stays inside the area already loaded: nothing is asked again.
    settled(page)
    count = len([p for p in _QuietHandler.requested if p.startswith("/markers.json")])
    page.evaluate("() => window.testMap.zoomIn(1, {animate: false})")
    settled(page)
    assert len([p for p in _QuietHandler.requested if p.startswith("/markers.json")]) == count
    w.assert_clean()


def test_a_failed_fetch_keeps_the_pages_markers(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/failing.html")
    page = w.page
    settled(page)
    assert page.evaluate(COUNT_JS) == TOTAL
    open_big_cluster(w)
    w.assert_clean()


def test_controls_are_mirrored_right_to_left(context: BrowserContext, static_site: str) -> None:
    w = open_page(context, f"{static_site}/rtl.html")
    page = w.page
    assert page.locator(".leaflet-top.leaflet-right .leaflet-control-zoom").count() == 1
    assert page.locator(".leaflet-bottom.leaflet-left .leaflet-control-attribution").count() == 1
    ltr = open_page(context, f"{static_site}/index.html").page
    assert ltr.locator(".leaflet-top.leaflet-left .leaflet-control-zoom").count() == 1
    assert ltr.locator(".leaflet-bottom.leaflet-right .leaflet-control-attribution").count() == 1
    w.assert_clean()


def test_near_me_link_asks_for_the_position_at_once(chromium: Browser, static_site: str) -> None:
    ctx = chromium.new_context(viewport=VIEWPORT, geolocation={"latitude": 45.31, "longitude": 9.5})
    try:
        ctx.set_default_timeout(5000)
        ctx.grant_permissions(["geolocation"])
        w = Watched(ctx.new_page())
        # No click: the page opened for #near-me asks, then loads the sorted list once.
        with w.page.expect_navigation(url="**/index.html?sort=distance&lat=45.31&lon=9.5"):
            w.page.goto(f"{static_site}/index.html?sort=distance#near-me")
        assert urlsplit(w.page.url).fragment == ""
        w.page.wait_for_selector("#map:not([hidden]) .pt-cluster")
        assert urlsplit(w.page.url).query == "sort=distance&lat=45.31&lon=9.5"  # not asked again
        w.assert_clean()
    finally:
        ctx.close()


def test_near_me_link_denied_shows_the_message(context: BrowserContext, static_site: str) -> None:
    context.clear_permissions()
    w = open_page(context, f"{static_site}/index.html?sort=distance#near-me")
    error = w.page.locator("#near-me-error")
    expect(error).to_be_visible()
    assert error.inner_text().startswith("Position not available")
    assert urlsplit(w.page.url).query == "sort=distance"
    w.assert_clean()
