"""Name normalisation: what survives of a filer's name, and what counts as the same given name."""

from __future__ import annotations

from stockyard.resolve.names import fold, given_forms, parse_name, parse_parts


def test_fold_drops_accents_and_punctuation() -> None:
    assert fold("Raúl M. Grijalva") == "raul m grijalva"
    assert fold("Mónica De La Cruz") == "monica de la cruz"
    assert fold("Diaz-Balart") == "diaz balart"
    assert fold("O'Rourke") == fold("O’Rourke") == "orourke"
    assert fold("(Everett") == "everett"


def test_titles_parentheticals_and_suffixes() -> None:
    senate = parse_name("The Honorable Michael F Bennet (Bennet, Michael)")
    assert senate.words == ("michael", "f", "bennet", "bennet", "michael")
    assert senate.suffix is None
    assert parse_name("Lamar Alexander (Former Senator)").words == ("lamar", "alexander")
    assert parse_name("Donald Sternoff Honorable Beyer").words == ("donald", "sternoff", "beyer")
    assert parse_name("Scott Mr Franklin").words == ("scott", "franklin")
    manchin = parse_name("Joseph Manchin, Iii")
    assert (manchin.words, manchin.suffix) == (("joseph", "manchin"), "iii")
    assert parse_name("David A Perdue , Jr").suffix == "jr"


def test_split_parts_limit_where_the_surname_is_looked_for() -> None:
    parts = parse_parts("Everett", "Theresa (Terri)", "Jr.")
    assert parts.words == ("everett", "theresa", "terri")
    assert parts.surname_zone == (0, 1)
    assert parts.suffix == "jr"
    whole = parse_name("Theresa (Terri) Everett")
    assert whole.surname_zone == (0, 3)


def test_nickname_groups_are_symmetric() -> None:
    assert "robert" in given_forms("bob") and "bob" in given_forms("robert")
    assert {"edward", "theodore"} <= given_forms("ted")
    assert "thomas" in given_forms("thom")
    assert given_forms("mikie") == frozenset({"mikie"})  # unknown names stand for themselves
