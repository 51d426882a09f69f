"""Actors: who carries an activity out, as canonical secretariat names ("CBD Secretariat").

A secretariat is recognised by its canonical name, its aliases and the printed forms of
``secretariat_templates`` over its convention's names (``rules/conventions.json``,
``rules/actors.json``), else by fuzzy matching above ``fuzzy_threshold``. In running text the actor
is a secretariat that is the subject of a subject verb ("The CMS Secretariat will ..."); collective
subjects ("The Secretariats will ...") and collective responsibility values ("Both") stand for every
party's secretariat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .nlp import alternation, memoized, per_rules
from .rules import Convention, Rules

EDGE_PUNCTUATION = " .,;:"
PARENTHESES = re.compile(r"\([^()]*\)")


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class _Names:
    """The printed forms of the secretariats and the regexes that find them."""

    forms: dict[str, str]
    """casefolded printed form -> canonical name"""
    names: dict[str, re.Pattern[str]]
    """canonical name -> any name of its convention, as whole words"""
    collective: frozenset[str]
    collective_leads: frozenset[str]
    mention: re.Pattern[str]
    subject: re.Pattern[str]
    article: re.Pattern[str]
    separator: re.Pattern[str]


def _forms(conv: Convention, templates: Sequence[str]) -> list[str]:
    names = [conv.short, *conv.names]
    return [conv.secretariat, *conv.secretariat_aliases, *(t.format(name=n) for t in templates for n in names)]


@per_rules
def _names(rules: Rules) -> _Names:
    actors = rules.actors
    forms: dict[str, str] = {}
    names: dict[str, re.Pattern[str]] = {}
    for conv in rules.conventions.conventions:
        for form in _forms(conv, actors.secretariat_templates):
            forms.setdefault(_key(form), conv.secretariat)
        names[conv.secretariat] = re.compile(alternation([conv.short, *conv.names]), re.IGNORECASE)
    any_name = alternation(n for conv in rules.conventions.conventions for n in [conv.short, *conv.names])
    separator = alternation(actors.lead_separators)
    # each name once at most: a longer chain is no coordination, and the bound keeps the search linear
    most = max(1, len(rules.conventions.conventions) - 1)
    name = rf"(?>{any_name})"
    coordinated = rf"{name}(?:\s*+{separator}\s*+{name}){{1,{most}}}\s+{alternation(actors.plural_words)}"
    word = r"[^\s,.;:]++"
    aside = rf"\s*+,\s*+{word}(?:\s++{word}){{0,{actors.parenthetical_max_words - 1}}}+\s*+,"
    adverbs = alternation(actors.adverbs)
    subject = rf"(?:{aside})?(?:\s+{adverbs})*\s+{alternation(actors.subject_verbs)}"
    return _Names(
        forms=forms,
        names=names,
        collective=frozenset(_key(c) for c in actors.collective),
        collective_leads=frozenset(_key(c) for c in [*actors.collective, *actors.collective_leads]),
        mention=re.compile(rf"(?P<coordinated>{coordinated})|{alternation([*forms, *actors.collective])}", re.IGNORECASE),
        subject=re.compile(subject, re.IGNORECASE),
        article=re.compile(rf"^(?:{alternation(actors.articles)}\s+)+", re.IGNORECASE),
        separator=re.compile(rf"(?:(?<!\s)\s++)?{separator}\s*+", re.IGNORECASE),
    )


def _secretariats(parties: Sequence[str], rules: Rules) -> list[str]:
    return [conv.secretariat for party in parties if (conv := rules.convention(party))]


@memoized
def canonical_actor(name: str, rules: Rules) -> str | None:
    """The canonical secretariat a printed name stands for ("the Secretariat of the CBD" -> "CBD Secretariat").

    Exact forms first; else the closest form at or above the fuzzy threshold, among the forms of the
    conventions the name mentions if it mentions any, and by ``fuzzy_margin`` over any other secretariat.
    """
    table = _names(rules)
    text = table.article.sub("", " ".join(name.split()).strip(EDGE_PUNCTUATION))
    exact = table.forms.get(_key(text))
    if exact or not text:
        return exact
    settings = rules.actors
    named = {canonical for canonical, pattern in table.names.items() if pattern.search(text)}
    pool = [form for form, canonical in table.forms.items() if not named or canonical in named]
    # a form scoring under threshold - margin can neither match nor be a runner-up that stops the best one
    floor = max(0.0, settings.fuzzy_threshold - settings.fuzzy_margin)
    scores: dict[str, float] = {}
    for form, score, _ in process.extract(_key(text), pool, scorer=fuzz.ratio, limit=None, score_cutoff=floor):
        canonical = table.forms[form]
        scores[canonical] = max(score, scores.get(canonical, 0.0))
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best = scores[ranked[0]] if ranked else 0.0
    runner_up = scores[ranked[1]] if len(ranked) > 1 else 0.0
    if best < settings.fuzzy_threshold or best - runner_up < settings.fuzzy_margin:
        return None
    return ranked[0]


@memoized
def _subjects(text: str, rules: Rules) -> tuple[frozenset[str], bool]:
    """The secretariats named as the subject of a subject verb in ``text``, and whether a collective
    subject ("The Secretariats") is one."""
    table = _names(rules)
    named: set[str] = set()
    collective = False
    for match in table.mention.finditer(text):
        if not table.subject.match(text, match.end()):
            continue
        printed = _key(match.group())
        if match.group("coordinated"):
            named.update(canonical for canonical, name in table.names.items() if name.search(printed))
        elif printed in table.collective:
            collective = True
        else:
            named.add(table.forms[printed])
    return frozenset(named), collective


def actors_in_text(text: str, parties: Sequence[str], rules: Rules) -> list[str]:
    """Secretariats that are the subject of a subject verb in ``text``.

    Collective subjects ("The Secretariats") stand for every party's secretariat, coordinated names
    ("the CBD and CMS Secretariats") for each secretariat named.
    """
    named, collective = _subjects(text, rules)
    return sorted(named.union(_secretariats(parties, rules)) if collective else named)


def _lead_parts(lead: str, rules: Rules) -> list[str]:
    parts = _names(rules).separator.split(PARENTHESES.sub(" ", lead))
    return [p.strip(EDGE_PUNCTUATION) for p in parts if p.strip(EDGE_PUNCTUATION)]


def _lead_actors(part: str, parties: Sequence[str], rules: Rules) -> list[str]:
    """The secretariats one part of a responsibility value names: "Both", "AEWA", "CBD Secretariat"."""
    table = _names(rules)
    bare = _key(table.article.sub("", part))
    if bare in table.collective_leads or _key(part) in table.collective_leads:
        return _secretariats(parties, rules)
    conv = rules.convention_aliases.get(bare)
    actor = conv.secretariat if conv else canonical_actor(part, rules)
    return [actor] if actor else []


def actors_from_lead(lead: str, parties: Sequence[str], rules: Rules) -> list[str]:
    """The secretariats of a responsibility cell or line: "AEWA / Ramsar", "Both", "CMS (lead), CBD"."""
    return sorted({actor for part in _lead_parts(lead, rules) for actor in _lead_actors(part, parties, rules)})


@memoized
def is_lead_value(text: str, rules: Rules) -> bool:
    """Whether the whole of ``text`` is a responsibility value: every part of it names actors."""
    parts = _lead_parts(text, rules)
    everyone = [c.short for c in rules.conventions.conventions]
    return bool(parts) and all(_lead_actors(part, everyone, rules) for part in parts)
