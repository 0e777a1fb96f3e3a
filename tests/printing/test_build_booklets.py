"""manage.py build_booklets: every variant of each language, in parallel or not, and the
stale booklets of those languages removed, nothing else."""

import io

import pytest
from django.core.management import CommandError, call_command

from pertutti.directory.models import Service, ServiceStatus
from pertutti.printing.booklets import booklet_pdf

# Three services keep each booklet to a few pages: the command, not WeasyPrint, is tested.
KEPT = ("LPT-028", "LPT-067", "LPT-069")


@pytest.fixture
def few(demo):
    Service.objects.filter(territory=demo).exclude(code__in=KEPT).update(
        status=ServiceStatus.INACTIVE
    )
    return demo


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("build_booklets", *args, stdout=out)
    return out.getvalue().splitlines()


def booklets(print_dir, language: str) -> set[str]:
    return {p.name for p in print_dir.glob(f"booklet-{language}-*.pdf")}


def test_one_language_gets_four_booklets_and_its_stale_ones_go(few, print_dir):
    stale = booklet_pdf(few, "ar", categories=["emergency"])  # a filtered one: not rebuilt
    other = booklet_pdf(few, "en")  # another language: left alone
    sheet = print_dir / "sheet-0123456789abcdef0123456789abcdef.pdf"
    sheet.write_bytes(b"%PDF-1.7")
    lines = run("--language", "ar", "--jobs", "1")
    built = lines[:-1]
    assert len(built) == 4
    assert {tuple(line.split()[:3]) for line in built} == {
        ("ar", "A5", "plain"), ("ar", "A5", "bilingual"),
        ("ar", "A4", "plain"), ("ar", "A4", "bilingual"),
    }  # fmt: skip
    assert all(" s " in line and "KiB" in line for line in built)
    assert lines[-1] == "4 booklets built, 1 stale files removed"
    assert not stale.exists()
    assert other.exists() and sheet.exists()
    assert len(booklets(print_dir, "ar")) == 4
    # The files are the ones a request finds: nothing is built again.
    assert booklet_pdf(few, "ar", size="A4", bilingual=True).name in booklets(print_dir, "ar")
    assert len(booklets(print_dir, "ar")) == 4


def test_italian_has_no_bilingual_booklet(few, print_dir):
    lines = run("--language", "it", "--jobs", "1")
    assert [tuple(line.split()[:3]) for line in lines[:-1]] == [
        ("it", "A5", "plain"),
        ("it", "A4", "plain"),
    ]
    assert len(booklets(print_dir, "it")) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.django_db(transaction=True)
def test_two_processes_build_the_same_booklets(few, print_dir):
    """The workers are forked: the data must be committed for them to read it (inside a
    test's transaction they would read it only by the accident of a copied connection, and
    the interrupted transaction broke the next test that commits)."""
    lines = run("--language", "ar", "--language", "en", "--jobs", "2")
    assert lines[-1] == "8 booklets built, 0 stale files removed"
    assert {tuple(line.split()[:3]) for line in lines[:-1]} == {
        (language, size, kind)
        for language in ("ar", "en")
        for size in ("A5", "A4")
        for kind in ("plain", "bilingual")
    }
    assert len(booklets(print_dir, "ar")) == len(booklets(print_dir, "en")) == 4
    for path in print_dir.glob("booklet-*.pdf"):
        assert path.read_bytes().startswith(b"%PDF-")
    # The same files a single process makes: the key does not depend on who built them.
    assert booklet_pdf(few, "en", size="A5").name in booklets(print_dir, "en")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--language", "de"], "lodi is not offered in de; its languages are it, ro, ar"),
        (["--territory", "atlantis"], "territory 'atlantis' is not loaded"),
        (["--jobs", "0"], "--jobs must be at least 1"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_removed(few, print_dir, args, message):
    kept = booklet_pdf(few, "ar", categories=["emergency"])
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert kept.exists()
