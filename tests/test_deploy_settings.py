"""Production settings: `check --deploy` finds nothing that applies; HSTS, the redirect to
https and the proxy's https header are on when debug is off and can be turned off by
environment; behind a TLS proxy the links the site builds are https (the share link)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from pertutti.importing.services import services_import_file
from tests.conftest import service_row

REPO = Path(__file__).resolve().parent.parent

SETTINGS_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
request = RequestFactory().get("/it/", HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "redirect": settings.SECURE_SSL_REDIRECT,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
    "secure_cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
    "absolute": request.build_absolute_uri(),
}))
"""


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The environment of a production server: only what the deployment guide sets."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PERTUTTI_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="pertutti.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.org",
        PERTUTTI_VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=180
    )


def settings_of(env: dict[str, str]) -> dict:
    done = run(["-c", SETTINGS_PROBE], env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_reports_nothing_that_applies(tmp_path):
    done = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (2 silenced)." in done.stdout + done.stderr


def test_production_defaults_are_secure_and_links_are_https_behind_the_proxy(tmp_path):
    values = settings_of(production_env(tmp_path))
    assert values == {
        "redirect": True,
        "hsts": 31_536_000,
        "proxy_header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "secure_cookies": [True, True],
        "absolute": "https://example.org/it/",
    }


@pytest.mark.parametrize(
    "overrides, expected",
    [
        ({"PERTUTTI_SSL_REDIRECT": "0"}, {"redirect": False, "hsts": 31_536_000}),
        ({"PERTUTTI_HSTS_SECONDS": "0"}, {"redirect": True, "hsts": 0}),
        ({"PERTUTTI_HSTS_SECONDS": "3600"}, {"hsts": 3600}),
        # No proxy: a client's own X-Forwarded-Proto is not believed.
        ({"PERTUTTI_PROXY_SSL_HEADER": ""}, {"proxy_header": None, "absolute": "http://example.org/it/"}),
        (
            {"PERTUTTI_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_SCHEME"},
            {"proxy_header": ["HTTP_X_FORWARDED_SCHEME", "https"], "absolute": "http://example.org/it/"},
        ),
        (
            {"DJANGO_DEBUG": "1"},
            {"redirect": False, "hsts": 0, "proxy_header": None, "secure_cookies": [False, False]},
        ),
    ],
    ids=["no-redirect", "no-hsts", "short-hsts", "no-proxy", "other-header", "debug"],
)  # fmt: skip
def test_each_can_be_set_by_environment(tmp_path, overrides, expected):
    values = settings_of(production_env(tmp_path, **overrides))
    assert {key: values[key] for key in expected} == expected


def test_the_share_link_behind_a_tls_proxy_is_https(client, lodi, write_csv, settings):
    """The proxy says https (X-Forwarded-Proto); the page's own link must say so too."""
    services_import_file(territory=lodi, path=write_csv([service_row()]))
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # production default
    response = client.get(
        "/it/services/TST-001/", HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.status_code == 200
    assert response.context["page_url"] == "https://testserver/it/services/TST-001/"
    settings.SECURE_PROXY_SSL_HEADER = None  # the bug: no header setting, http links
    response = client.get(
        "/it/services/TST-001/", HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https"
    )
    assert response.context["page_url"].startswith("http://")
