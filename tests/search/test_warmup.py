"""Production workers build the search index before their first request."""

import logging
import os
import runpy
from pathlib import Path

import pytest

from pertutti.importing.services import services_import_file
from pertutti.search import index as index_module
from pertutti.search import warmup
from pertutti.search.usage import usage_pending
from tests.conftest import DEMO_CSV

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(lodi, settings):
    settings.PERTUTTI_TERRITORY = lodi.slug
    services_import_file(territory=lodi, path=DEMO_CSV)
    return lodi


def test_warm_up_builds_the_index_of_the_territory(demo, caplog, monkeypatch):
    frozen = []
    monkeypatch.setattr(warmup.gc, "freeze", lambda: frozen.append(True))
    index_module._cache.clear()
    with caplog.at_level(logging.INFO, logger="pertutti.search.warmup"):
        warmup.search_warm_up()
    assert index_module._cache[demo.pk].size == 70
    assert frozen == [True]  # long-lived objects set apart from the garbage collector
    assert not usage_pending()  # the warm-up search is not a person's
    assert "search warm-up: 70 documents indexed, embeddings off" in caplog.text


def test_a_failed_warm_up_is_logged_and_the_worker_goes_on(demo, caplog, monkeypatch):
    def broken(territory):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(warmup, "loaded_index", broken)
    monkeypatch.setattr(warmup.gc, "freeze", lambda: None)
    warmup.search_warm_up()  # no exception
    assert "search warm-up failed" in caplog.text


def test_the_server_configuration_warms_each_worker_up(monkeypatch):
    called = []
    monkeypatch.setattr(warmup, "search_warm_up", lambda: called.append(True))
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    config = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"  # inherited by the workers
    assert config["worker_class"] == "gthread" and config["workers"] == 2
    assert config["accesslog"] is None  # no IPs or search words in a log
    config["post_worker_init"](object())
    assert called == [True]
