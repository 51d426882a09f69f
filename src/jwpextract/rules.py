"""Rules as data: load, validate and merge the JSON files of ``rules/`` and of a user's ``--rules DIR``.

Every rule file has a schema here. A user's directory holds files with the same names as the
bundled ones; their lists extend the bundled lists (entries with the same ``key``/``id`` replace
the bundled entry) and their mappings are merged key by key. A malformed file raises
:class:`~jwpextract.errors.RulesError` naming the file and the problem: its schema here, what the stages
read from it in :mod:`jwpextract.rules_check`, and the regexes a user's file brings must be linear
(:mod:`jwpextract.rules_audit`; the bundled ones are audited by the test suite).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from functools import cached_property
from importlib.resources import files
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import RulesError
from .rules_audit import audit
from .rules_check import check_rules, depth_error, regexes


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_regex(value: str, group: str | None = None) -> str:
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {value!r}: {exc}") from exc
    if group and group not in compiled.groupindex:
        raise ValueError(f"regular expression {value!r} has no group {group!r}")
    return value


class Convention(RuleModel):
    key: str = Field(description="lower-case treaty key used in ids: cms, cbd, ramsar ...")
    short: str = Field(description='short name as published: "CMS", "Ramsar"')
    names: list[str] = Field(default_factory=list, description="full names and other spellings")
    secretariat: str = Field(description="canonical actor name of its secretariat")
    secretariat_aliases: list[str] = Field(default_factory=list)
    symbol_prefixes: list[str] = Field(default_factory=list, description="document symbol prefixes")
    bodies: dict[str, list[str]] = Field(
        default_factory=dict, description="body key -> printed forms (COP, StC, SBSTTA ...)"
    )
    governing_body: str = Field(default="cop", description="body key whose instruments need no body")
    context_bodies: dict[str, list[str]] = Field(
        default_factory=dict,
        description='body key -> printed forms naming the body only where the convention is the document\'s or '
        'named in it ("the conference", "Council")',
    )


class ConventionsFile(RuleModel):
    conventions: list[Convention]


class SymbolRule(RuleModel):
    id: str = Field(description='the form of symbol: "un" (A/RES/78/272), "committee-document" (SC71 Doc. 8)')
    pattern: str = Field(description="regex with a named group 'value': the symbol without its label")

    @field_validator("pattern")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _check_regex(value, "value")


class Issuer(RuleModel):
    """A body that issues documents and is no convention of ``conventions.json`` (the UN General Assembly)."""

    key: str = Field(description="lower-case key used in meeting ids: unga")
    short: str = Field(description='short name as published: "UNGA"')
    names: list[str] = Field(default_factory=list)
    symbol_prefixes: list[str] = Field(default_factory=list, description='document symbol prefixes: "A/"')
    bodies: dict[str, list[str]] = Field(default_factory=dict, description="body key -> printed forms")


MASTHEAD_FIELDS = ("distribution", "original_language", "date", "agenda_item", "session", "venue")


class MastheadRules(RuleModel):
    """The masthead: the block of a document's own metadata at the top of its first page."""

    symbols: list[SymbolRule] = Field(description="forms of a document symbol, each secretariat's")
    fields: dict[str, str] = Field(
        description="field -> regex with a named group 'value': "
        + ", ".join(MASTHEAD_FIELDS)
        + " (a session may name its body in a group 'body': '59th meeting of the Standing Committee')"
    )
    labels: str = Field(description='regex of a label printed alone, its value on the next line: "Distr."')
    report_session: str = Field(description="regex of the session in a report's title: 'on its twenty-fifth session'")
    words: list[str] = Field(default_factory=list, description='names printed beside the fields: "United Nations"')
    joiners: list[str] = Field(default_factory=list, description='words between two names: "to the"')
    not_metadata: list[str] = Field(
        default_factory=list, description="regexes of whole lines that are furniture: print job numbers, banners"
    )
    issuers: list[Issuer] = Field(default_factory=list)

    @field_validator("fields")
    @classmethod
    def _field_regexes(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [name for name in MASTHEAD_FIELDS if name not in value]
        if missing:
            raise ValueError(f"missing fields: {', '.join(missing)}")
        for pattern in value.values():
            _check_regex(pattern, "value")
        return value

    @field_validator("labels", "report_session")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _check_regex(value)

    @field_validator("not_metadata")
    @classmethod
    def _regexes(cls, value: list[str]) -> list[str]:
        for pattern in value:
            _check_regex(pattern)
        return value


class LayoutFile(RuleModel):
    """Patterns of page furniture, mastheads, headings and numbering styles."""

    page_number_patterns: list[str]
    running_header_min_pages: int = 2
    letterhead_line_max_chars: int = 48
    masthead: MastheadRules
    months: dict[str, int]
    annex_heading: str
    table_header_words: list[str]
    plan_title_keywords: list[str]
    timeframe_labels: list[str]
    lead_labels: list[str]
    activity_labels: list[str]
    bullet_chars: list[str] = Field(description="characters that open a bulleted item")
    timeline_marks: list[str] = Field(
        default_factory=list, description='characters that mark a year in a timeline table\'s year column: "X"'
    )
    heading_max_words: int = 14
    theme_max_words: int = 8
    numbering: dict[str, str] = Field(
        description="regexes of numbering styles: paragraph, activity, labelled_activity, section, item"
    )
    number_labels: list[str] = Field(
        default_factory=lambda: ["No.", "No", "Nr.", "Number", "#"], description="headers of a number column"
    )
    footnote_number_pattern: str = Field(
        default=r"^(?:\d{1,3}|[*†‡§]{1,3})$", description="the number that opens a footnote"
    )
    furniture_margin: float = Field(
        default=0.12, description="share of the page height at the top and bottom where furniture is sought"
    )

    @field_validator("page_number_patterns", "annex_heading", "footnote_number_pattern")
    @classmethod
    def _regexes(cls, value: Any) -> Any:
        for item in value if isinstance(value, list) else [value]:
            _check_regex(item)
        return value

    def names_plan(self, text: str) -> bool:
        """Whether ``text`` holds a plan title keyword ("work plan"), in any case."""
        lowered = text.lower()
        return any(keyword.lower() in lowered for keyword in self.plan_title_keywords)

    @field_validator("bullet_chars")
    @classmethod
    def _non_empty(cls, value: list[str]) -> list[str]:
        if any(not bullet.strip() for bullet in value):
            raise ValueError("a bullet is at least one visible character")
        return value

    @field_validator("numbering")
    @classmethod
    def _numbering_regexes(cls, value: dict[str, str]) -> dict[str, str]:
        for pattern in value.values():
            _check_regex(pattern)
        return value


class TimeframesFile(RuleModel):
    plan_period_words: list[str] = Field(description='values that span the plan period: "Ongoing"')
    deadline_words: list[str] = Field(description='words that make a deadline: "By 2018"')
    meeting_year_pattern: str = Field(description="regex for a meeting with its year: COP14 (2023)")
    meeting_pattern: str | None = Field(
        default=None, description='regex for a meeting without its year, a deadline after a deadline word: "By COP15"'
    )
    range_separators: list[str] = Field(default_factory=list, description='between the years of a range: "-", "to"')
    period_qualifiers: list[str] = Field(
        default_factory=list, description='words that may stand before a year in a timeframe: "Q3", "mid", "end of"'
    )
    open_start_words: list[str] = Field(
        default_factory=list, description='words before a start that runs to the plan\'s end: "From COP 23"'
    )
    open_end_words: list[str] = Field(
        default_factory=list, description='words after a start that runs to the plan\'s end: "SB 49 and onward"'
    )

    @field_validator("meeting_year_pattern", "meeting_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return value if value is None else _check_regex(value)


class ActorsFile(RuleModel):
    collective: list[str] = Field(description='subjects meaning every party\'s secretariat: "The Secretariats"')
    subject_verbs: list[str] = Field(description='verbs after an actor that make it the doer: "will"')
    fuzzy_threshold: float = Field(default=88.0, ge=0, le=100, description="minimum fuzz.ratio (0..100) of a form")
    fuzzy_margin: float = Field(
        default=3.0,
        ge=0,
        le=100,
        description="points by which a fuzzy match must beat the closest form of any other secretariat",
    )
    secretariat_templates: list[str] = Field(
        default_factory=list,
        description='printed forms of a secretariat, {name} standing for each name of its convention: "{name} Secretariat"',
    )
    articles: list[str] = Field(default_factory=list, description='words dropped before an actor\'s name: "the"')
    collective_leads: list[str] = Field(
        default_factory=list, description='responsibility values meaning every party\'s secretariat: "Both"'
    )
    lead_separators: list[str] = Field(
        default_factory=list, description='what separates the actors of a responsibility value: "/", "and"'
    )
    adverbs: list[str] = Field(default_factory=list, description='words allowed between a subject and its verb: "also"')
    parenthetical_max_words: int = Field(
        default=4, ge=1, description="longest comma-enclosed aside allowed between a subject and its verb"
    )
    plural_words: list[str] = Field(
        default_factory=list, description='the plural after coordinated names: "the CBD and CMS Secretariats"'
    )


class PatternRule(RuleModel):
    id: str
    kind: str
    pattern: list[dict[str, Any]]


class ReferencesFile(RuleModel):
    patterns: list[PatternRule]
    kind_words: dict[str, list[str]]
    draft_words: list[str]
    target_frameworks: dict[str, list[str]] = Field(description="framework key -> printed names")
    document_spellings: list[tuple[str, str]] = Field(
        default_factory=list, description="regex, replacement: official spelling of document symbols"
    )
    revision_words: list[str] = Field(default_factory=list, description='words that open a revision: "Rev"')
    convention_markers: dict[str, list[str]] = Field(
        default_factory=dict, description='convention key -> words that fix a reference\'s convention: "Conf"'
    )
    target_words: list[str] = Field(
        default_factory=list, description='words naming a target of the framework named before: "Target"'
    )
    number_separators: list[str] = Field(
        default_factory=list, description='what separates session and number: "." in 8.11, "/" in X/20'
    )
    ordinal_words: dict[str, int] = Field(
        default_factory=dict, description='ordinals written as words, in lower case: "eleventh": 11'
    )
    ordinal_tens: dict[str, int] = Field(
        default_factory=dict, description='tens that open a compound ordinal, in lower case: "twenty": 20 in "twenty-first"'
    )
    list_connectors: list[str] = Field(
        default_factory=list, description='what joins the items of a list, in lower case: "," "and"'
    )
    meeting_connectors: list[str] = Field(
        default_factory=list, description='what joins the ordinals of a list of meetings, in lower case: "and" "to"'
    )
    pinpoint_words: list[str] = Field(
        default_factory=list, description='words of a pinpoint between listed items, in lower case: "paragraph"'
    )
    date_words: list[str] = Field(
        default_factory=list, description='words before a date between listed items, in lower case: "of"'
    )
    possessive_words: list[str] = Field(
        default_factory=list, description='words of the speaker\'s own instruments and sessions: "its" "their"'
    )
    document_lists: dict[str, str] = Field(
        default_factory=dict, description='plural document word -> the singular printed in each symbol: "Docs": "Doc."'
    )
    skip_patterns: list[str] = Field(default_factory=list, description="regexes of text that holds no reference: URLs")
    context_reach: int = Field(
        default=30, description="tokens before an instrument printing no body in which a convention named is its own"
    )
    context_break: str = Field(
        default="(?!)", description="regex of what ends the context of a passage (a footnote rule: '_{3,}')"
    )

    @field_validator("skip_patterns")
    @classmethod
    def _skip_regexes(cls, value: list[str]) -> list[str]:
        return [_check_regex(item) for item in value]

    @field_validator("context_break")
    @classmethod
    def _break_regex(cls, value: str) -> str:
        return _check_regex(value)


class EntityRule(RuleModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)


class RestatementRules(RuleModel):
    """When a passage restates another: ``links`` of the canonical plan (see docs/diff-thresholds.md)."""

    threshold: float = Field(
        default=80.0, ge=0, le=100, description="minimum mean of token_set_ratio and partial_ratio (0..100) of two passages"
    )
    min_words: int = Field(default=8, description="passages with fewer words are never linked")


class EntitiesFile(RuleModel):
    """The gazetteer of bodies and programmes, and the thresholds of the reconciliation stage."""

    entities: list[EntityRule]
    fuzzy_threshold: float = Field(
        default=90.0, ge=0, le=100, description="minimum fuzz.ratio (0..100) of a printed variant"
    )
    exact_max_chars: int = Field(default=6, description="aliases this short (acronyms) match exactly only")
    links: RestatementRules = RestatementRules()


class AlignRules(RuleModel):
    """One-to-one alignment: same number first, then an optimal assignment of the rest."""

    same_number_min: float = Field(description="word similarity (0..1) that pairs two elements of one number")
    align_min: float = Field(description="word similarity (0..1) below which an assignment is dropped")


class MergeRules(RuleModel):
    """Merges and splits: one activity whose words cover two or more of the other side."""

    cover_min: float = Field(description="idf-weighted share of a candidate's words found in the whole")
    gain_min: float = Field(description="share of the whole that each further part must newly explain")
    whole_min: float = Field(description="share of the whole that the parts together must explain")


class SectionAlignRules(AlignRules):
    """Sections align on titles and on where their activities went."""

    title_weight: float = Field(description="weight (0..1) of the title similarity; the rest: shared activities")


class DiffFile(RuleModel):
    """Thresholds of ``jwpextract diff`` (reasoning in docs/diff-thresholds.md)."""

    activities: AlignRules
    sections: SectionAlignRules
    merge: MergeRules


class GlyphsFile(RuleModel):
    cid: dict[str, str] = Field(description="(cid:N) code -> character")
    bold_font_pattern: str = Field(default="(?i)bold|black|heavy|semibold|demi", description="regex on font names")
    italic_font_pattern: str = Field(default="(?i)italic|oblique|slant|[-,]it$", description="regex on font names")

    @field_validator("bold_font_pattern", "italic_font_pattern")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _check_regex(value)


class DocumentsFile(RuleModel):
    """How decisions, resolutions and recommendations are printed, and words that name a document's kind."""

    instrument_words: dict[str, list[str]] = Field(description="instrument kind -> the words that print it")
    draft_words: list[str] = Field(description='words before an instrument word that make it a draft: "Draft"')
    instrument_number: str = Field(description='regex of an instrument number: "14/8", "3/CP.25", "XIII.5", "12.25"')
    numbered_title: str = Field(description="regex of a heading that opens with the number: '78/272. Title' (number, title)")
    chapeau: str = Field(description='regex of the line naming the body that takes the decision: "The General Assembly,"')
    preamble_opener: str = Field(description='regex of the first word of a preambular paragraph: "Recalling"')
    adoption: str = Field(description='regex of the adoption line closing a decision: "8th plenary meeting"')
    contents_headings: list[str] = Field(default_factory=list, description="headings of a table of contents")
    report_words: list[str] = Field(default_factory=list, description="title words of a report (any case)")
    table_title_words: list[str] = Field(
        default_factory=list,
        description='title words of a table that is not a plan even when the title names one: "Indicators"',
    )
    chapeau_lookahead: int = Field(default=8, description="lines after a heading where its chapeau or paragraph 1 may be")

    @field_validator("instrument_number", "chapeau", "preamble_opener", "adoption")
    @classmethod
    def _regex(cls, value: str) -> str:
        return _check_regex(value)

    @field_validator("numbered_title")
    @classmethod
    def _groups(cls, value: str) -> str:
        if {"number", "title"} - set(re.compile(_check_regex(value)).groupindex):
            raise ValueError("numbered_title needs the named groups 'number' and 'title'")
        return value


RULE_FILES: dict[str, type[RuleModel]] = {
    "conventions.json": ConventionsFile,
    "layout.json": LayoutFile,
    "timeframes.json": TimeframesFile,
    "actors.json": ActorsFile,
    "references.json": ReferencesFile,
    "entities.json": EntitiesFile,
    "glyphs.json": GlyphsFile,
    "diff.json": DiffFile,
    "documents.json": DocumentsFile,
}


class Rules(BaseModel):
    """All rules, validated. ``digest`` identifies their content (used to skip up-to-date outputs)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    conventions: ConventionsFile
    layout: LayoutFile
    timeframes: TimeframesFile
    actors: ActorsFile
    references: ReferencesFile
    entities: EntitiesFile
    glyphs: GlyphsFile
    diff: DiffFile
    documents: DocumentsFile
    digest: str

    def convention(self, key_or_short: str | None) -> Convention | None:
        if not key_or_short:
            return None
        wanted = key_or_short.lower()
        return next((c for c in self.conventions.conventions if wanted in (c.key, c.short.lower())), None)

    @cached_property
    def convention_aliases(self) -> dict[str, Convention]:
        """Every printed name of a convention (lower case) -> the convention."""
        table: dict[str, Convention] = {}
        for conv in self.conventions.conventions:
            for name in [conv.short, *conv.names]:
                table.setdefault(name.lower(), conv)
        return table


def bundled_rules_dir() -> Path:
    return Path(str(files("jwpextract") / "bundled_rules"))


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for key, value in extra.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        keyed = [e for e in extra if isinstance(e, dict) and ("key" in e or "id" in e)]
        names = {e.get("key", e.get("id")) for e in keyed}
        kept = [b for b in base if not (isinstance(b, dict) and b.get("key", b.get("id")) in names)]
        return kept + extra
    return extra


def _read_json(path: Path) -> Any:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise RulesError(str(path), "nested too deeply") from None
    except OSError as exc:
        raise RulesError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RulesError(str(path), "not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise RulesError(str(path), f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    problem = depth_error(data)
    if problem:
        raise RulesError(str(path), problem)
    return data


def _strings(value: Any) -> Iterator[str]:
    """Every string in parsed JSON ``value``."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for child in value.values() if isinstance(value, dict) else value:
            yield from _strings(child)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "top level"
    return f"{where}: {err['msg']}"


def load_rules(extra_dirs: list[Path] | None = None) -> Rules:
    """Load the bundled rules, then each user directory in turn, and validate the result."""
    base = bundled_rules_dir()
    bundled = {name: _read_json(base / name) for name in RULE_FILES}
    data = dict(bundled)
    origin = {name: str(base / name) for name in RULE_FILES}
    brings_patterns = False
    for directory in extra_dirs or []:
        if not directory.is_dir():
            raise RulesError(str(directory), "not a directory of rule files")
        for path in sorted(directory.iterdir()):
            if path.suffix != ".json":
                continue
            if path.name not in RULE_FILES:
                known = ", ".join(RULE_FILES)
                raise RulesError(str(path), f"unknown rule file (expected one of: {known})")
            extra = _read_json(path)
            if not isinstance(extra, dict):
                raise RulesError(str(path), "a rule file holds a JSON object")
            data[path.name] = _merge(data[path.name], extra)
            brings_patterns = brings_patterns or (path.name == "references.json" and "patterns" in extra)
            origin[path.name] = str(path)
    parsed: dict[str, RuleModel] = {}
    for name, model in RULE_FILES.items():
        try:
            parsed[name.removesuffix(".json")] = model.model_validate(data[name])
        except ValidationError as exc:
            raise RulesError(origin[name], _first_error(exc)) from exc
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    rules = Rules(**parsed, digest=hashlib.sha256(canonical).hexdigest()[:16])
    users = {name for name in RULE_FILES if origin[name] != str(base / name)}
    check_rules(rules, origin, token_patterns=brings_patterns)
    _audit_user_regexes(rules, users, bundled, origin)
    return rules


def _audit_user_regexes(rules: Rules, users: set[str], bundled: dict[str, Any], origin: dict[str, str]) -> None:
    """Raise :class:`RulesError` for the first regex a user's file brings that is not linear."""
    known = {text for name in users for text in _strings(bundled[name])}
    brought = [regex for regex in regexes(rules) if regex.file in users and regex.pattern not in known]
    finding = next(audit(brought), None)
    if finding:
        raise RulesError(origin[finding.regex.file], str(finding))
