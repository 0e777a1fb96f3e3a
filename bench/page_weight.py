"""Bytes a phone downloads for each public page: HTML + CSS + JS, gzip, as served in production.

Starts the real server with DEBUG off (WhiteNoise serving hashed, pre-compressed static
files; GZipMiddleware compressing HTML) on a throw-away SQLite database with the demo
data, fetches each page and every stylesheet and script it links, with
`Accept-Encoding: gzip`, and adds up the bytes on the wire. Fonts, images and map tiles
are not counted (the budget excludes them). Leaflet, which map.js loads itself, counts on
every page with a map (`data-leaflet-css`/`data-leaflet-js`), and on the map page the
markers of the whole territory (`data-markers` with a bounding box around it) count as JS.
Usage: .venv/bin/python bench/page_weight.py
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET = 60 * 1024
PAGES = [
    "/it/",
    "/it/services/",
    "/it/services/map/",
    "/it/categories/health/",
    "/it/services/LPT-013/",
    "/it/services/LPT-062/",
    "/it/organizations/{cpia}/",
    "/it/privacy/",
    "/it/services/LPT-999/",
    "/en/services/map/",
    "/ar/",
    "/ar/services/map/",
    "/ar/services/LPT-013/",
    "/ur/services/",
    "/zh-hans/services/LPT-055/",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes, int]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - loopback only
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:  # the 404 page is a page too
        body, status = error.read(), error.code
        response = error
    encoding = response.headers.get("Content-Encoding", "")
    raw = body
    if encoding == "gzip":
        import gzip

        raw = gzip.decompress(body)
    return status, raw, len(body)


def main() -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
            PERTUTTI_VAR_DIR=tmp,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="bench-only-not-secret",  # noqa: S106
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            PERTUTTI_PUBLISH_DRAFTS="1",
            PERTUTTI_TILE_URL="",
            # Plain http on loopback: no redirect to https, no proxy header to trust.
            PERTUTTI_SSL_REDIRECT="0",
            PERTUTTI_PROXY_SSL_HEADER="",
        )

        def manage(*args: str) -> None:
            subprocess.run([python, "manage.py", *args], cwd=REPO, env=env, check=True,  # noqa: S603
                           stdout=subprocess.DEVNULL)  # fmt: skip

        manage("migrate", "--noinput")
        manage("load_territory", "lodi")
        manage("import_services", "demo/lodi/mappatura-servizi-lodi.csv", "--sample-data")
        for language in ("en", "fr", "ar"):  # the demo translations, as `make run` loads them
            manage("import_xliff", f"demo/lodi/translations/{language}.xlf", "--language",
                   language, "--status", "draft")  # fmt: skip
        manage("collectstatic", "--noinput")
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    fetch(base + "/it/privacy/")
                    break
                except OSError:
                    time.sleep(0.1)
            _, html, _ = fetch(base + "/it/services/?q=CPIA")
            cpia = re.search(
                rb'href="/it/organizations/(\d+)/"', fetch(base + "/it/services/LPT-055/")[1]
            )
            rows = []
            for path in PAGES:
                path = path.format(cpia=cpia.group(1).decode() if cpia else "1")
                status, html, html_bytes = fetch(base + path)
                assets = re.findall(
                    rb'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html
                )
                assets += re.findall(rb'data-leaflet-css="([^"]+)"|data-leaflet-js="([^"]+)"', html)
                markers = re.search(rb'data-markers="([^"]+)"', html)
                if markers:  # what map.js asks for first: the whole territory in view
                    url = markers.group(1).decode().replace("&amp;", "&")
                    url += ("&" if "?" in url else "?") + "bbox=44.5,8.5,46,10.5"
                    assets.append((b"", url.encode()))
                css = js = 0
                for href, src in assets:
                    _, _, size = fetch(base + (href or src).decode())
                    if href:
                        css += size
                    else:
                        js += size
                rows.append((path, status, html_bytes, css, js, html_bytes + css + js))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{'page':32} {'status':>6} {'HTML':>8} {'CSS':>8} {'JS':>8} {'total':>8}  budget 60 KB")
    for path, status, html_b, css, js, total in rows:
        verdict = "ok" if total <= BUDGET else "OVER"
        sizes = f"{html_b:>8} {css:>8} {js:>8} {total:>8}"
        print(f"{path:32} {status:>6} {sizes}  {total / 1024:5.1f} KB {verdict}")


if __name__ == "__main__":
    main()
