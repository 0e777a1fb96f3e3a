"""Parse free Italian opening-hours text ("lun-ven 9-12; giovedì anche 14-16") into a schedule.

Organisations write their hours as prose. We understand the common shapes and return every
fragment we do not understand in ``unparsed``, so the importer can keep the original text and
warn: a wrong or silently shortened timetable is worse than none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import time
from itertools import groupby
from types import MappingProxyType
from typing import NamedTuple


@dataclass(frozen=True)
class OpeningRule:
    """One opening interval on one weekday (0 = Monday, as ``datetime.weekday()``)."""

    weekday: int
    opens: time
    closes: time  # always after `opens`; a range ending at 24:00 closes at 23:59
    label: str = ""  # leading qualifier of the clause ("segreteria"), lowercase as written


@dataclass
class ParsedHours:
    """What was understood, plus the fragments that were not (never silently dropped)."""

    rules: list[OpeningRule] = field(default_factory=list)  # by (weekday, opens), no duplicates
    always_open: bool = False  # "h24", "24 ore su 24", "7 giorni su 7"
    by_appointment: bool = False  # "su appuntamento", "su convocazione"
    closed_months: list[int] = field(default_factory=list)  # 1..12: "chiuso ad agosto" -> [8]
    unparsed: list[str] = field(default_factory=list)  # fragments as written, to warn about

    @property
    def understood(self) -> bool:
        """True when the whole text was understood, so the original need not be shown."""
        return not self.unparsed


# One alternative per token kind; phrases come before the numbers and words they contain.
_TOKEN_RE = re.compile(
    r"""
    (?P<always>\bh\s?24\b|\b24\s?h\b|\b24\s*ore\s+su\s*24\b|\b24\s*/\s*(?:7|24)\b
        |\bsempre\s+apert[oaie]\b)
    |(?P<week7>\b7\s*giorni\s+su\s*7\b|\b7\s*/\s*7\b)
    |(?P<appt>\b(?:solo\s+)?(?:su|per|previo|dietro)\s+(?:appuntamento|convocazione|prenotazione)\b)
    |(?P<alldays>\b(?:tutti\s+i\s+giorni|ogni\s+giorno|tutta\s+la\s+settimana)\b)
    |(?P<day>\b(?:(?:lune|marte|mercole|giove|vener)di\b'?|(?:sabato|domenica)\b
        |(?:lun|mar|merc?|giov?|ven|sab|dom)\b\.?))
    |(?P<month>\b(?:gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre
        |ottobre|novembre|dicembre)\b)
    |(?P<time>[0-9]+(?:[.:][0-9]+)?)
    |(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*'?)
    |(?P<sym>\S)
    """,
    re.VERBOSE,
)
_DAY_NAMES = ("lunedi", "martedi", "mercoledi", "giovedi", "venerdi", "sabato", "domenica")
_DAY_INDEX = MappingProxyType(
    {name: n for n, name in enumerate(_DAY_NAMES)}
    | {name[:3]: n for n, name in enumerate(_DAY_NAMES)}
    | {"merc": 2, "giov": 3}
)
# fmt: off
_MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)
# fmt: on
_WORD_KINDS = MappingProxyType(
    dict.fromkeys(("da", "dal", "dalle", "dalla", "dai"), "from")
    | dict.fromkeys(("a", "ad", "al", "alle", "alla", "ai"), "to")
    | dict.fromkeys(("chiuso", "chiusa", "chiusi", "chiuse", "chiusura"), "closed")
    | {"e": "and", "ed": "and", "anche": "also", "ore": "ore"}
)
_SYMBOL_KINDS = MappingProxyType(
    {",": "comma", "-": "dash", "/": "slash", ";": "semi", ".": "dot", ":": "punct"}
    | {"(": "open", ")": "close"}
)
# Glue between understood parts: never reported on its own.
_CONNECTORS = frozenset({"comma", "dash", "slash", "and", "dot", "punct"})
_DAY_FILLERS = frozenset({"il", "i", "ogni", "tutti", "tutte", "di"})  # "il martedì"
_LEAD_WORDS = frozenset({"orario", "orari", "aperto", "aperta", "apertura"})  # not a label
_MONTH_FILLERS = frozenset(
    {"a", "ad", "in", "nel", "nei", "nella", "il", "mese", "mesi", "di", "durante", "tutto"}
    | {"per", "da", "dal", "estiva"}  # "chiuso nel mese di agosto", "chiusura estiva ad agosto"
)

_Interval = tuple[time, time]
_Clock = tuple[int, int]  # (hours, minutes); hours may be 24 before conversion


class _Tok(NamedTuple):
    kind: str
    text: str  # normalised: lowercase, no accents
    start: int  # offsets into the original text, to report fragments as written
    end: int
    idx: int  # position in the whole stream: a gap means a parenthesis was cut out


def _normalise(text: str) -> str:
    """Lowercase, drop accents, unify dashes/apostrophes, keeping one char per input char."""
    out = []
    for char in text:
        plain = unicodedata.normalize("NFKD", char.lower())
        plain = "".join(c for c in plain if not unicodedata.combining(c))[:1] or " "
        out.append("-" if char in "–—−‒" else "'" if char in "’‘`´" else plain)
    return "".join(out)


def _tokenize(norm: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(norm):
        kind, text = m.lastgroup or "sym", m.group()
        if kind == "word":
            kind = _WORD_KINDS.get(text, "word")
        elif kind == "sym":
            kind = _SYMBOL_KINDS.get(text, "other")
        toks.append(_Tok(kind, text, m.start(), m.end(), len(toks)))
    return toks


def _clauses(toks: list[_Tok], norm: str) -> list[list[_Tok]]:
    """Split at ";" and ". "; text in parentheses is a clause of its own (usually a note)."""
    done: list[list[_Tok]] = []
    outer: list[_Tok] = []
    inner: list[_Tok] = []
    depth = 0
    for tok in toks:
        if tok.kind == "open":
            depth += 1
        elif tok.kind == "close":
            depth = max(depth - 1, 0)
            if depth == 0:
                done.append(inner.copy())
                inner.clear()
        else:
            current = inner if depth else outer
            if tok.kind == "semi" or (tok.kind == "dot" and norm[tok.end : tok.end + 1].isspace()):
                done.append(current.copy())
                current.clear()
            else:
                current.append(tok)
    done += [inner, outer]
    return sorted((c for c in done if c), key=lambda c: c[0].start)


def _clock(raw: str) -> _Clock | None:
    hours, sep, minutes = raw.replace(":", ".").partition(".")
    if len(hours) > 2 or (sep and len(minutes) != 2):
        return None
    h, m = int(hours), int(minutes or 0)
    return (h, m) if (h < 24 and m < 60) or (h, m) == (24, 0) else None


def _interval(start: _Clock | None, end: _Clock | None) -> _Interval | None:
    """`time` cannot hold 24:00, so a range ending at midnight closes at 23:59."""
    if start is None or end is None or start[0] == 24:
        return None
    opens = time(*start)
    closes = time(23, 59) if end in ((24, 0), (0, 0)) else time(*end)
    return (opens, closes) if closes > opens else None


def _cycle(first: int, last: int, size: int) -> list[int]:
    """Inclusive range that may wrap around ("ven-lun" = Fri, Sat, Sun, Mon)."""
    return [(first + k) % size for k in range((last - first) % size + 1)]


class _Parser:
    """Parses the clauses of one text; remembers the last day group so "; 14-16" can reuse it."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.result = ParsedHours()
        self.rules: set[OpeningRule] = set()
        self.last_days: list[int] = []
        self.last_label = ""
        self.toks: list[_Tok] = []
        self.used: list[bool] = []
        self.label = ""  # a label holds for the rest of its clause
        self.dirty = False  # something not understood precedes: bare times are no longer safe
        # End of a day list left without times: no start inside it can do better.
        self.skip_to = 0

    def parse(self, toks: list[_Tok]) -> None:
        self.toks, self.used, self.label = toks, [False] * len(toks), ""
        self.dirty, self.skip_to = False, 0
        i = 0
        while i < len(toks):
            end = self._flag(i) or self._group(i)
            if end is None:
                self.dirty = self.dirty or toks[i].kind not in _CONNECTORS
                i = max(i + 1, self.skip_to)  # keeps long lists of bare days linear
            else:
                i = end
        self._report()

    def finish(self) -> ParsedHours:
        self.result.rules = sorted(
            self.rules, key=lambda r: (r.weekday, r.opens, r.closes, r.label)
        )
        self.result.closed_months = sorted(set(self.result.closed_months))
        return self.result

    def _kind(self, i: int) -> str:
        return self.toks[i].kind if i < len(self.toks) else ""

    def _mark(self, start: int, end: int) -> None:
        self.used[start:end] = [True] * (end - start)

    def _flag(self, i: int) -> int | None:
        """Whole-text facts: always open, closed in some months."""
        if self._kind(i) == "always":
            self.result.always_open = True
            self._mark(i, i + 1)
            return i + 1
        if self._kind(i) != "closed":
            return None
        j, months = i + 1, []
        while self._kind(j) and self.toks[j].text in _MONTH_FILLERS:
            j += 1
        while self._kind(j) == "month":
            first = _MONTHS.index(self.toks[j].text)
            if self._kind(j + 1) in ("dash", "to") and self._kind(j + 2) == "month":
                months += _cycle(first, _MONTHS.index(self.toks[j + 2].text), 12)
                j += 3
            else:
                months.append(first)
                j += 1
            if self._kind(j) not in ("comma", "and") or self._kind(j + 1) != "month":
                break
            j += 1
        if not months:
            return None
        self.result.closed_months += [m + 1 for m in months]
        self._mark(i, j)
        return j

    def _group(self, i: int) -> int | None:
        """An optional one- or two-word label, then an appointment phrase or days and times."""
        label_ok = i == 0 or self._kind(i - 1) in _CONNECTORS
        for k in (2, 1, 0) if label_ok else (0,):
            words = self.toks[i : i + k]
            if len(words) < k or any(t.kind != "word" or t.text in _DAY_FILLERS for t in words):
                continue
            j = i + k + (k > 0 and self._kind(i + k) == "punct")  # "Segreteria: lun-ven 9-12"
            label = " ".join(
                self.original[t.start : t.end].lower() for t in words if t.text not in _LEAD_WORDS
            )
            if self._kind(j) == "appt":
                self.result.by_appointment = True
                self._mark(i, j + 1)
                return j + 1
            end = self._schedule(j, label or self.label)
            if end is not None:
                self._mark(i, j)
                return end
        return None

    def _schedule(self, i: int, label: str) -> int | None:
        """Days then time ranges; bare times at a clause start reuse the previous days."""
        j = i + (self._kind(i) == "also")
        spec = self._days(j)
        if spec is None:
            if self.dirty or not self.last_days:
                return None
            days, label, week7 = self.last_days, label or self.last_label, False
        else:
            days, j, week7 = spec
            j += self._kind(j) == "punct"  # "lun-ven: 9-12"
            j += self._kind(j) == "also"
        if self._kind(j) == "always":  # "lun-ven h24"
            if len(days) == 7:
                self.result.always_open = True
                self._mark(i, j + 1)
                return j + 1
            ranges: list[tuple[_Interval | None, int, int]] = [((time(0), time(23, 59)), j, j + 1)]
        else:
            ranges = self._ranges(j)
        valid = [r for r in ranges if r[0] is not None]
        if not valid:
            if week7 and not ranges:  # "7 giorni su 7" with no hours means always open
                self.result.always_open = True
                self._mark(i, j)
                return j
            self.skip_to = max(self.skip_to, j)
            return None
        self._mark(i, j)
        for interval, start, end in valid:
            self._mark(start, end)
            self.rules.update(OpeningRule(day, *interval, label) for day in days)
        self.last_days, self.last_label, self.label = days, label, label
        return ranges[-1][2]

    def _days(self, i: int) -> tuple[list[int], int, bool] | None:
        """Returns (weekdays, next index, whether it was "7 giorni su 7")."""
        if self._kind(i) in ("alldays", "week7"):
            return list(range(7)), i + 1, self._kind(i) == "week7"
        days: list[int] = []
        while atom := self._day_atom(i):
            days += atom[0]
            i = atom[1]
            if self._kind(i) not in ("comma", "and") or not self._day_atom(i + 1):
                break
            i += 1
        return (list(dict.fromkeys(days)), i, False) if days else None

    def _day_atom(self, i: int) -> tuple[list[int], int] | None:
        """A day, a range ("lun-ven", "dal lunedì al venerdì") or a hyphen list ("lun-mer-ven")."""
        while self._kind(i) == "word" and self.toks[i].text in _DAY_FILLERS:
            i += 1
        kinds = [self._kind(i + n) for n in range(4)]
        if kinds == ["from", "day", "to", "day"]:
            return _cycle(self._day(i + 1), self._day(i + 3), 7), i + 4
        if kinds[0] != "day":
            return None
        chain = [self._day(i)]
        i += 1
        while self._kind(i) == "dash" and self._kind(i + 1) == "day":
            chain.append(self._day(i + 1))
            i += 2
        return (_cycle(chain[0], chain[1], 7) if len(chain) == 2 else chain), i

    def _day(self, i: int) -> int:
        return _DAY_INDEX[self.toks[i].text.rstrip(".'")]

    def _ranges(self, i: int) -> list[tuple[_Interval | None, int, int]]:
        """Ranges for the same days, joined by "e", "/" or ","; None marks an invalid one."""
        found = []
        while (parsed := self._range(i)) is not None:
            found.append((parsed[0], i, parsed[1]))
            i = parsed[1]
            if self._kind(i) not in ("and", "slash", "comma") or self._range(i + 1) is None:
                break
            i += 1
        return found

    def _range(self, i: int) -> tuple[_Interval | None, int] | None:
        """ "9-12", "9.00 - 12.30", "ore 9-12", "dalle 9 alle 12"."""
        opening = self._kind(i) == "from"
        start = self._time(i + opening, is_end=False)
        if start is None or self._kind(start[1]) not in (("to", "dash") if opening else ("dash",)):
            return None
        end = self._time(start[1] + 1, is_end=True)
        return None if end is None else (_interval(start[0], end[0]), end[1])

    def _time(self, i: int, is_end: bool) -> tuple[_Clock | None, int] | None:
        i += self._kind(i) == "ore"
        if self._kind(i) != "time":
            return None
        raw, i = self.toks[i].text, i + 1
        # "9,30" is a time, but in "9-12,14-16" the glued comma separates two ranges.
        if (
            raw.isdigit()
            and self._kind(i) == "comma"
            and self._kind(i + 1) == "time"
            and len(self.toks[i + 1].text) == 2
            and self.toks[i - 1].end == self.toks[i].start == self.toks[i + 1].start - 1
            and not (is_end and self._kind(i + 2) == "dash")
        ):
            raw, i = f"{raw}.{self.toks[i + 1].text}", i + 2
        return _clock(raw), i

    def _report(self) -> None:
        """Each run of unused tokens, trimmed of glue, becomes one fragment as written."""
        nothing_used = not any(self.used)
        for used, group in groupby(range(len(self.toks)), key=self.used.__getitem__):
            run = list(group)
            content = [k for k in run if self.toks[k].kind not in _CONNECTORS] or run
            # Bare glue between understood parts is dropped, but not a clause made only of it.
            if not used and (content is not run or nothing_used):
                self._fragment(content[0], content[-1])

    def _fragment(self, first: int, last: int) -> None:
        parts = []
        for k in range(first, last + 1):
            tok = self.toks[k]
            parts.append(self.original[tok.start : tok.end])
            if k < last:
                nxt = self.toks[k + 1]
                parts.append(self.original[tok.end : nxt.start] if nxt.idx == tok.idx + 1 else " ")
        self.result.unparsed.append("".join(parts).strip())


def parse_opening_hours(text: str) -> ParsedHours:
    """Parse Italian opening hours; whatever is not understood is returned in `unparsed`."""
    norm = _normalise(text)
    parser = _Parser(text)
    for clause in _clauses(_tokenize(norm), norm):
        parser.parse(clause)
    result = parser.finish()
    if result == ParsedHours() and text.strip():  # only brackets or separators, e.g. "()"
        result.unparsed.append(text.strip())
    return result
