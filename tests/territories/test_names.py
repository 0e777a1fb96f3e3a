"""Place names written in different ways fold to one key."""

import pytest

from pertutti.territories.names import fold_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sant'Angelo Lodigiano", "S. Angelo Lodigiano"),
        ("Sant'Angelo Lodigiano", "SANT’ANGELO  LODIGIANO "),
        ("San Colombano al Lambro", "S.Colombano al Lambro"),
        ("Santo Stefano Lodigiano", "S. Stefano Lodigiano"),
        ("Castelnuovo Bocca d'Adda", "castelnuovo bocca d adda"),
        ("Codogno", "Codogno "),
        ("Cervignano d'Adda", "Cervignano d’Adda"),
    ],
)
def test_fold_name_matches_names_written_differently(a, b):
    assert fold_name(a) == fold_name(b)


def test_fold_name_keeps_different_places_apart():
    assert fold_name("Lodi") != fold_name("Lodi Vecchio")
    assert fold_name("Caselle Landi") != fold_name("Caselle Lurani")
    assert fold_name("San Martino in Strada") != fold_name("San Fiorano")


@pytest.mark.parametrize(
    "spellings",
    [
        (
            "Sant'Angelo Lodigiano",
            "S. Angelo Lodigiano",
            "sant angelo lodigiano",
            "SANT’ANGELO LODIGIANO",
            "  Sant'Angelo  Lodigiano ",
        ),
        ("Castelnuovo Bocca d'Adda", "castelnuovo bocca d adda", "Castelnuovo Bocca d`Adda"),
        ("S. Colombano al Lambro", "San Colombano al Lambro"),
        ("S.Rocco al Porto", "San Rocco al Porto"),
        ("Santo Stefano Lodigiano", "S. Stefano Lodigiano"),
        ("Tavazzano con Villavesco", "Tavazzano-con-Villavesco"),
        ("Cornegliano Laudense", "Cornegliàno Laudense"),
    ],
)
def test_fold_name_matches_spellings(spellings: tuple[str, ...]) -> None:
    assert len({fold_name(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Codogno ", "codogno"),
        ("Sant'Angelo Lodigiano", "s angelo lodigiano"),
        ("San Rocco al Porto", "s rocco al porto"),
        ("Castelnuovo Bocca d'Adda", "castelnuovo bocca d adda"),
        ("", ""),
    ],
)
def test_fold_name_value(text: str, expected: str) -> None:
    assert fold_name(text) == expected
