"""Rules checked beyond their schema at load, so that no stage fails later on what it reads from them.

- every regex compiles and has the named groups its stage reads (``value`` of a letterhead field,
  ``number`` and ``rest`` of a numbering style, ``year`` of a meeting with its year);
- every ``document_spellings`` replacement is a valid template for its regex;
- every reference pattern has a kind a stage reads, the token its reader takes from every span (the kind
  word of an instrument, the body of a meeting) and, when a user's rules bring patterns, is a valid spaCy
  Matcher pattern: spaCy's own validator, its REGEX values compile, its ``_`` attributes are token
  extensions of :mod:`jwpextract.nlp`;
- every secretariat template names nothing but ``{name}``;
- rule JSON nests at most :data:`MAX_DEPTH` levels.

Each problem is a :class:`~jwpextract.errors.RulesError` naming the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import RulesError

if TYPE_CHECKING:
    from .rules import PatternRule, Rules

MAX_DEPTH = 50
"""Deepest nesting of arrays and objects in a rule file."""
NUMBERING_GROUPS = {
    "paragraph": ("number", "rest"),
    "activity": ("label", "number", "rest"),
    "labelled_activity": ("label", "number", "rest"),
    "section": ("number", "rest"),
    "item": ("label", "label2", "rest"),
}
"""Numbering style -> the named groups the structure stage reads."""
AT_LEAST_ONCE = re.compile(r"\+|\{[1-9]\d*(?:,\d*)?\}")
"""Matcher operators that match a token at least once."""
READER_ROLES = {"instrument": "kind"}
"""Pattern kind -> the role of a token its reader in :mod:`jwpextract.references` takes from every span."""


@dataclass(frozen=True)
class RuleRegex:
    """A regex of the rules: its file, its key in the file, and the named groups its stage reads."""

    file: str
    key: str
    pattern: str
    groups: tuple[str, ...] = ()


def depth_error(value: Any) -> str | None:
    """Why parsed JSON ``value`` nests too deeply, or None."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels"
            pending += [(child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return None


def _token_regexes(rule: PatternRule) -> Iterator[RuleRegex]:
    for i, token in enumerate(rule.pattern):
        attrs = [(name, value) for name, value in token.items() if name != "_"]
        extensions = token.get("_")
        if isinstance(extensions, dict):
            attrs += [(f"_.{name}", value) for name, value in extensions.items()]
        for name, value in attrs:
            if isinstance(value, dict) and isinstance(value.get("REGEX"), str):
                yield RuleRegex("references.json", f"patterns.{rule.id}[{i}].{name}.REGEX", value["REGEX"])


def regexes(rules: Rules) -> list[RuleRegex]:
    """Every regex of ``rules``."""
    layout, timeframes, glyphs, refs = rules.layout, rules.timeframes, rules.glyphs, rules.references
    found = [RuleRegex("layout.json", f"page_number_patterns[{i}]", p) for i, p in enumerate(layout.page_number_patterns)]
    masthead = layout.masthead
    found += [RuleRegex("layout.json", f"masthead.symbols.{s.id}", s.pattern, ("value",)) for s in masthead.symbols]
    found += [RuleRegex("layout.json", f"masthead.fields.{k}", p, ("value",)) for k, p in masthead.fields.items()]
    found += [RuleRegex("layout.json", f"masthead.not_metadata[{i}]", p) for i, p in enumerate(masthead.not_metadata)]
    found += [
        RuleRegex("layout.json", "masthead.labels", masthead.labels),
        RuleRegex("layout.json", "masthead.report_session", masthead.report_session, ("value",)),
    ]
    found += [
        RuleRegex("layout.json", f"numbering.{k}", p, NUMBERING_GROUPS.get(k, ())) for k, p in layout.numbering.items()
    ]
    found += [
        RuleRegex("layout.json", "annex_heading", layout.annex_heading),
        RuleRegex("layout.json", "footnote_number_pattern", layout.footnote_number_pattern),
        RuleRegex("timeframes.json", "meeting_year_pattern", timeframes.meeting_year_pattern, ("year",)),
        RuleRegex("glyphs.json", "bold_font_pattern", glyphs.bold_font_pattern),
        RuleRegex("glyphs.json", "italic_font_pattern", glyphs.italic_font_pattern),
    ]
    if timeframes.meeting_pattern is not None:
        found.append(RuleRegex("timeframes.json", "meeting_pattern", timeframes.meeting_pattern))
    documents = rules.documents
    found += [
        RuleRegex("documents.json", "instrument_number", documents.instrument_number),
        RuleRegex("documents.json", "numbered_title", documents.numbered_title, ("number", "title")),
        RuleRegex("documents.json", "chapeau", documents.chapeau),
        RuleRegex("documents.json", "preamble_opener", documents.preamble_opener),
        RuleRegex("documents.json", "adoption", documents.adoption),
    ]
    found += [
        RuleRegex("references.json", f"document_spellings[{i}]", p) for i, (p, _) in enumerate(refs.document_spellings)
    ]
    for rule in refs.patterns:
        found += _token_regexes(rule)
    return found


def _regex_error(regex: RuleRegex) -> str | None:
    try:
        compiled = re.compile(regex.pattern)
    except re.error as exc:
        return f"invalid regular expression {regex.pattern!r}: {exc}"
    missing = [group for group in regex.groups if group not in compiled.groupindex]
    if missing:
        return f"regular expression {regex.pattern!r} has no group named {missing[0]!r} (needs: {', '.join(regex.groups)})"
    return None


def _spelling_error(pattern: str, replacement: str) -> str | None:
    try:
        re.compile(pattern).sub(replacement, "")
    except (re.error, IndexError) as exc:
        return f"invalid replacement {replacement!r}: {exc}"
    return None


def _template_error(template: str) -> str | None:
    try:
        template.format(name="")
    except (KeyError, IndexError, ValueError) as exc:
        return f"invalid template {template!r} (only {{name}} may be named): {exc!r}"
    return None


def _kind_error(rule: PatternRule) -> str | None:
    from .references import NAMING, READERS

    kinds = [*READERS, NAMING]
    if rule.kind not in kinds:
        return f"unknown kind {rule.kind!r} (expected one of: {', '.join(kinds)})"
    return None


def _role_error(rule: PatternRule) -> str | None:
    role = READER_ROLES.get(rule.kind)
    if role and not any(_requires_role(token, role) for token in rule.pattern):
        return f'a {rule.kind} pattern needs a token, never optional, with {{"_": {{"role": "{role}"}}}}'
    return None


def _requires_role(token: dict[str, Any], role: str) -> bool:
    """Whether every match of the pattern has a token with ``role`` at ``token``: the role required, the token
    not optional (no ``OP``, ``+`` or a count of at least one)."""
    extensions = token.get("_")
    required = token.get("OP") is None or AT_LEAST_ONCE.fullmatch(str(token["OP"])) is not None
    return isinstance(extensions, dict) and extensions.get("role") == role and required


def _token_pattern_error(rule: PatternRule) -> str | None:
    """Why spaCy's Matcher would refuse or fail on ``rule.pattern``, or None."""
    from spacy.schemas import validate_token_pattern
    from spacy.tokens import Token

    from .nlp import register_extensions

    errors = validate_token_pattern(rule.pattern)
    if errors:
        return f"invalid {rule.kind} pattern: {errors[0]}"
    register_extensions()
    for i, token in enumerate(rule.pattern):
        unknown = [name for name in token.get("_", {}) if not Token.has_extension(name)]
        if unknown:
            return f"invalid {rule.kind} pattern: token {i}: unknown token attribute _.{unknown[0]}"
    return None


def check_rules(rules: Rules, origin: Mapping[str, str], *, token_patterns: bool) -> None:
    """Raise :class:`RulesError` for the first problem of ``rules``; ``origin`` maps a rule file's name to the
    path it was last read from. spaCy validates the reference patterns only when ``token_patterns``."""

    def fail(file: str, key: str, problem: str) -> RulesError:
        return RulesError(origin[file], f"{key}: {problem}")

    refs = rules.references
    for rule in refs.patterns:
        problem = _kind_error(rule) or (_token_pattern_error(rule) if token_patterns else None) or _role_error(rule)
        if problem:
            raise fail("references.json", f"patterns.{rule.id}", problem)
    for regex in regexes(rules):
        problem = _regex_error(regex)
        if problem:
            raise fail(regex.file, regex.key, problem)
    for i, (pattern, replacement) in enumerate(refs.document_spellings):
        problem = _spelling_error(pattern, replacement)
        if problem:
            raise fail("references.json", f"document_spellings[{i}]", problem)
    for i, template in enumerate(rules.actors.secretariat_templates):
        problem = _template_error(template)
        if problem:
            raise fail("actors.json", f"secretariat_templates[{i}]", problem)
