"""Rules audit: every regex of the rules must take time linear in the length of the line it reads.

A regex is searched in families of adversarial lines, each a prefix, a unit repeated and a character no
regex expects (``FAIL``): runs of letters, digits, spaces and separators, the regex's literal runs, and
near-misses built from the regex itself — for each repetition in it, a string matching what comes before
the repetition, then the repeated part again and again. Each family is timed at growing lengths, first a
character at a time (an exponential regex is caught before it runs for long), then growing by half up to
:data:`LONGEST`. A regex fails when a line takes at least :data:`FLOOR` seconds of CPU time and
:data:`SLACK` times longer than the length ratio predicts from a shorter line of its family.

Times are the CPU time of the thread (other processes delay a run but do not add to it), the least of up
to :data:`REPEATS` runs (a slow run is repeated, a fast one is not), and a growth is confirmed by timing
both lines again in turn (:data:`CONFIRMS` rounds): what other processes leave of the caches makes lines
slower, never faster, and slows lines timed in turn alike.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

from .rules_check import RuleRegex

FLOOR = 0.002
"""Seconds below which a line's time never fails a regex, however it grew."""
SLACK = 4.0
"""How many times longer than linear growth predicts a line may take."""
STOP = 0.005
"""Seconds after which a family is not lengthened further."""
REPEATS = 3
"""Runs of a slow line, the least time counting."""
CONFIRMS = 3
"""Rounds of a short and a long line timed in turn before their growth fails a regex."""
TINY = 1e-5
"""The least time a shorter line is taken to have (timer resolution, call overhead)."""
LONGEST = 3072
LENGTHS = (*range(1, 25), 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, LONGEST)
FAIL = "\x00"
UNITS = ("a", "A", "Aa", "1", " ", "\t", "/", ".", "-", ",", "a ", "a/", "a.", "a-", "a,", "1.", "1/", "A/", "a1")
"""Units of the generic families: runs of letters, digits, spaces and separators."""
MAX_LITERALS = 16
MAX_PER_UNIT = 8
EXAMPLE_REPEATS = 32
"""Most repetitions of one part in an example string (``(?:a{1000}){1000}`` builds no million-character line)."""
CANDIDATES = "aA0 ./-,;:()_!é\tx"
"""Characters tried, in order, as the example of a character class."""
CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
REPEATS_OPS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


@dataclass(frozen=True)
class Growth:
    """Two lines of one family whose times grew faster than their lengths."""

    prefix: str
    unit: str
    short: int
    long: int
    short_seconds: float
    long_seconds: float

    def __str__(self) -> str:
        family = f"{self.prefix!r} + " * bool(self.prefix) + f"{self.unit!r}×N + {FAIL!r}"
        return (
            f"time grows faster than the line's length: {_shown(self.short_seconds)} at {self.short} chars, "
            f"{_shown(self.long_seconds)} at {self.long} chars of {family}"
        )


def _shown(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.0f} µs"


@dataclass(frozen=True)
class Finding:
    regex: RuleRegex
    growth: Growth

    def __str__(self) -> str:
        return f"{self.regex.key}: {self.growth}; make the pattern linear (possessive *+ ++, atomic (?>...), bounds)"


def _member(items: list[tuple[Any, Any]], char: str) -> bool:
    """Whether ``char`` is in the parsed character class ``items``."""
    found = False
    for op, av in items:
        if op is sre.LITERAL:
            found = found or ord(char) == av
        elif op is sre.RANGE:
            found = found or av[0] <= ord(char) <= av[1]
        elif op is sre.CATEGORY:
            found = found or re.fullmatch(CATEGORIES.get(av, "(?!)"), char) is not None
    return found != (bool(items) and items[0][0] is sre.NEGATE)


def _pick(accepts: Callable[[str], bool]) -> str:
    return next((c for c in CANDIDATES if accepts(c)), "")


def _example(items: Iterable[tuple[Any, Any]], full: bool) -> str:
    """A string matching the parsed ``items``: each repetition at its least count, or at least once when ``full``;
    the first alternative of each choice; nothing for anchors, lookarounds and back-references."""
    out: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(chr(av))
        elif op is sre.NOT_LITERAL:
            out.append(_pick(lambda c, av=av: ord(c) != av))
        elif op is sre.IN:
            out.append(_pick(lambda c, av=av: _member(av, c)))
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.BRANCH:
            out.append(_example(av[1][0], full))
        elif op is sre.SUBPATTERN:
            out.append(_example(av[3], full))
        elif op is sre.ATOMIC_GROUP:
            out.append(_example(av, full))
        elif op in REPEATS_OPS:
            low, high, body = av
            out.append(_example(body, full) * min(high, max(low, int(full)), EXAMPLE_REPEATS))
    return "".join(out)


def _near_misses(items: list[tuple[Any, Any]], before: str) -> Iterator[tuple[str, str]]:
    """(prefix, unit) for each repetition in ``items``: what matches up to it, then its body once."""
    for i, (op, av) in enumerate(items):
        prefix = before + _example(items[:i], False)
        if op in REPEATS_OPS:
            if av[1] > 1:
                yield from ((prefix, _example(av[2], full)) for full in (False, True))
            yield from _near_misses(list(av[2]), prefix)
        elif op is sre.SUBPATTERN:
            yield from _near_misses(list(av[3]), prefix)
        elif op is sre.ATOMIC_GROUP:
            yield from _near_misses(list(av), prefix)
        elif op is sre.BRANCH:
            for alternative in av[1]:
                yield from _near_misses(list(alternative), prefix)


def _literals(items: list[tuple[Any, Any]]) -> Iterator[str]:
    """The runs of literal characters of the parsed ``items``, at any depth."""
    run = ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            yield run
        run = ""
        if op is sre.SUBPATTERN:
            yield from _literals(list(av[3]))
        elif op is sre.ATOMIC_GROUP:
            yield from _literals(list(av))
        elif op in REPEATS_OPS:
            yield from _literals(list(av[2]))
        elif op is sre.BRANCH:
            for alternative in av[1]:
                yield from _literals(list(alternative))
    if run:
        yield run


def families(pattern: str) -> list[tuple[str, str]]:
    """The (prefix, unit) of every family of adversarial lines for ``pattern``: the generic ones, its first
    :data:`MAX_LITERALS` literal runs, and its near-misses, at most :data:`MAX_PER_UNIT` with one unit (a long
    alternation of words separated by ``\\s+`` makes hundreds of near-misses that test the same thing)."""
    items = list(sre_parse.parse(pattern).data)
    literals = list(dict.fromkeys(_literals(items)))[:MAX_LITERALS]
    per_unit: dict[str, list[str]] = {}
    for prefix, unit in dict.fromkeys(_near_misses(items, "")):
        if unit and len(per_unit.setdefault(unit, [])) < MAX_PER_UNIT:
            per_unit[unit].append(prefix)
    found = [("", unit) for unit in (*UNITS, *literals)]
    found += [(prefix, unit) for unit, prefixes in per_unit.items() for prefix in prefixes]
    return list(dict.fromkeys(found))


def _once(run: Callable[[str], object], line: str) -> float:
    """The CPU time of the thread reading ``line``: other processes delay it but do not add to it."""
    start = time.thread_time()
    run(line)
    return time.thread_time() - start


def _seconds(run: Callable[[str], object], line: str) -> float:
    """The least time of up to ``REPEATS`` runs, repeated only while slow enough to fail a regex."""
    best = math.inf
    for _ in range(REPEATS):
        best = min(best, _once(run, line))
        if best < FLOOR:
            break
    return best


def _grows(short: int, short_seconds: float, long: int, long_seconds: float) -> bool:
    return long_seconds >= FLOOR and long_seconds > SLACK * long / short * max(short_seconds, TINY)


def _remeasured(run: Callable[[str], object], short: str, long: str, prefix: int) -> tuple[float, float]:
    """Both lines timed again in turn, the least of up to ``CONFIRMS`` rounds each: a loaded machine slows
    both alike. Stops as soon as the growth is gone."""
    best_short = best_long = math.inf
    for _ in range(CONFIRMS):
        best_short = min(best_short, _once(run, short))
        best_long = min(best_long, _once(run, long))
        if not _grows(len(short) - prefix, best_short, len(long) - prefix, best_long):
            break
    return best_short, best_long


def _family_growth(run: Callable[[str], object], prefix: str, unit: str) -> Growth | None:
    """Lengths are compared without the prefix: a linear regex's time on the prefix is a constant, which
    only makes the time grow slower than the repeated part (the prefix may be slower or faster to read)."""
    timed: list[tuple[str, float]] = []
    for length in LENGTHS:
        line = prefix + unit * max(1, -(-(length - len(prefix)) // len(unit))) + FAIL
        if timed and len(line) <= len(timed[-1][0]):
            continue
        took = _seconds(run, line)
        size = len(line) - len(prefix)
        for short, before in timed:
            if _grows(len(short) - len(prefix), before, size, took):
                before, took = _remeasured(run, short, line, len(prefix))
                if _grows(len(short) - len(prefix), before, size, took):
                    return Growth(prefix, unit, len(short), len(line), before, took)
        timed.append((line, took))
        if took >= STOP:
            break
    return None


def growth(regex: re.Pattern[str], *, anchored: bool = False) -> Growth | None:
    """The first family of lines on which ``regex`` (searched, or matched at the start when ``anchored``)
    takes time growing faster than the lines' length; None when it is linear on all of them."""
    run = regex.match if anchored else regex.search
    for prefix, unit in families(regex.pattern):
        found = _family_growth(run, prefix, unit)
        if found:
            return found
    return None


def audit(regexes: Iterable[RuleRegex]) -> Iterator[Finding]:
    """The regexes of the rules that are not linear, searched as the stages search them, lazily."""
    for regex in regexes:
        found = growth(re.compile(regex.pattern))
        if found:
            yield Finding(regex, found)
