from pathlib import Path

import pytest

from pertutti.translations.exchange import import_xliff
from pertutti.translations.models import TranslationStatus
from tests.public.conftest import demo, monday_morning  # noqa: F401

AR_XLIFF = Path(__file__).resolve().parents[2] / "demo" / "lodi" / "translations" / "ar.xlf"


@pytest.fixture
def arabic(demo):  # noqa: F811 - the fixture above
    """The demo with its Arabic translations, finished (not drafts)."""
    import_xliff(
        territory=demo,
        language="ar",
        data=AR_XLIFF.read_bytes(),
        status=TranslationStatus.TRANSLATED,
    )
    return demo
