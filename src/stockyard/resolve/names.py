"""Person names as filings print them → comparable tokens (accents, titles, suffixes, nicknames)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Words that sit in or around a filer's name but are not part of it: "Hon.", "The Honorable …
# (Former Senator)", "Scott Mr Franklin", "Donald Sternoff Honorable Beyer".
HONORIFICS = frozenset(
    {
        "the", "hon", "honorable", "honourable", "mr", "mrs", "ms", "miss", "dr", "senator",
        "sen", "rep", "representative", "congressman", "congresswoman", "former", "member",
        "delegate", "commissioner", "resident", "of", "congress", "us",
    }
)  # fmt: skip

# Generational suffixes, folded to one spelling. "v" is left out: it is more often an initial.
SUFFIXES = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "iii": "iii"}
SUFFIXES |= {"iv": "iv", "2nd": "ii", "3rd": "iii"}

# Surname particles: never a surname on their own ("Van" of "Van Drew").
PARTICLES = frozenset({"van", "von", "de", "del", "della", "der", "den", "la", "le", "da", "di"})

# Given-name equivalents seen in filings (a filer signs "Bob", the record says "Robert"). Each line
# is one group; a name may sit in several groups ("ted" is Edward or Theodore).
_NICKNAME_GROUPS = """
robert bob bobby rob robby bert | william bill billy will willy wm | james jim jimmy jamie
thomas tom tommy thom | michael mike mikey | richard dick rick ricky rich
charles chuck charlie chas | edward ed eddie ted ned | theodore ted teddy | patrick pat
patricia pat patty tricia | daniel dan danny | david dave | joseph joe joey | ronald ron ronnie
donald don donnie | gerald jerry gerry | jerrold jerry | gregory greg | steven steve
stephen steve | anthony tony | cynthia cindy | jacqueline jackie jacky | jacklyn jackie jacky
katherine kathy kate katie | catherine cathy kate katie | kathleen kathy
elizabeth liz beth betsy betty | susan sue susie | christopher chris | christine chris
christina chris | matthew matt | henry hank harry | harold harry hal | john jack johnny
jonathan jon | albert al bert | alan al | allen al | alfred al fred | andrew andy drew
benjamin ben | bradley brad | frederick fred | jeffrey jeff | geoffrey jeff | kenneth ken kenny
lawrence larry | nicholas nick | peter pete | randall randy | randolph randy | samuel sam
timothy tim | walter walt | zachary zach | mitchell mitch | douglas doug | raymond ray
leonard len lenny | louis lou | margaret maggie peggy meg | deborah debbie deb
debra debbie deb | rebecca becky | barbara barb | jennifer jen jenny | frances fran
francis frank | franklin frank | vincent vince | philip phil | phillip phil | russell russ
terrence terry | teresa terri terry | theresa terri terry | pamela pam | valerie val
victoria vicki vicky | virginia ginny | jacob jake | joshua josh | nathaniel nate | nathan nate
augustus gus | gustavo gus | abigail abby | kimberly kim | gwendolyn gwen | madeleine maddie
dorothy dot | carolyn carol | suzanne suzy sue | cheryl cheri | eleanor ellie
"""


def _nickname_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in _NICKNAME_GROUPS.replace("\n", " | ").split("|"):
        names = group.split()
        for name in names:
            table.setdefault(name, set()).update(names)
    return {name: frozenset(group) for name, group in table.items()}


NICKNAMES = _nickname_table()

# Legal given names that filings use but congress-legislators does not record (it has only the
# name the member goes by). Keyed by bioguide id; checked against real Senate/House filings.
LEGAL_GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    "C001098": ("rafael", "edward"),  # Ted Cruz signs "Rafael E Cruz"
    "K000389": ("rohit",),  # Ro Khanna is "Rohit" in the House FD index
}

_APOSTROPHES = re.compile(r"['’`´]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII: accents dropped (Mónica → monica), apostrophes joined (O'Rourke → orourke),
    every other punctuation mark a space (Diaz-Balart → diaz balart, (Everett → everett)."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", ascii_only)).strip()


def tokens(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


def given_forms(token: str) -> frozenset[str]:
    """A given name and the names it is interchangeable with (bob → robert, bobby, …)."""
    return NICKNAMES.get(token, frozenset((token,)))


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A filer's name reduced to meaningful tokens.

    ``surname_zone`` is the slice of ``words`` where the surname may sit: all of them for a name
    written in one piece, only the "Last" field's words when the source splits the parts.
    """

    words: tuple[str, ...]
    surname_zone: tuple[int, int]
    suffix: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.words


def _clean(raw_tokens: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    kept: list[str] = []
    suffix: str | None = None
    for token in raw_tokens:
        if token in SUFFIXES:
            suffix = SUFFIXES[token]
        elif token not in HONORIFICS:
            kept.append(token)
    return tuple(kept), suffix


def parse_name(name: str) -> ParsedName:
    """One-piece names: "Hon. Scott Scott Franklin", "The Honorable Michael F Bennet (Bennet,
    Michael)", "Lamar Alexander (Former Senator)". A parenthetical adds its words (a nickname or
    the "Last, First" echo) rather than being dropped, since the surname search is order-free."""
    words, suffix = _clean(tokens(name))
    return ParsedName(words=words, surname_zone=(0, len(words)), suffix=suffix)


def parse_parts(last: str, first: str, suffix: str | None = None) -> ParsedName:
    """Names a source splits, like the House FD index ``<Last>`` / ``<First>`` / ``<Suffix>``."""
    last_words, last_suffix = _clean(tokens(last))
    first_words, first_suffix = _clean(tokens(first))
    suffix_words = tokens(suffix or "")
    folded_suffix = next((SUFFIXES[t] for t in suffix_words if t in SUFFIXES), None)
    return ParsedName(
        words=last_words + first_words,
        surname_zone=(0, len(last_words)),
        suffix=folded_suffix or last_suffix or first_suffix,
    )
