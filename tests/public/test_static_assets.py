import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "trim_leaflet_css.py"


def test_trimmed_leaflet_css_is_up_to_date_with_the_vendored_file():
    spec = importlib.util.spec_from_file_location("trim_leaflet_css", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.trim(module.SOURCE.read_text(encoding="utf-8"))
    assert module.TARGET.read_text(encoding="utf-8") == expected
    assert ".leaflet-popup-content" in expected and ".leaflet-control-zoom" in expected
    assert "leaflet-control-layers" not in expected
