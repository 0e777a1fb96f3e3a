from pertutti.territories.languages import language_name


def test_names_in_the_readers_language():
    assert language_name("ar", "it") == "arabo"
    assert language_name("ur", "en") == "Urdu"


def test_script_subtags_are_cldr_names_both_ways():
    # Django says "zh-hans", CLDR "zh_Hans": neither the name nor the reader's locale is lost.
    assert language_name("zh-hans", "it") == "cinese semplificato"
    assert language_name("ar", "zh-hans") == "阿拉伯语"


def test_an_unknown_code_is_shown_as_it_is():
    assert language_name("xx", "it") == "xx"
