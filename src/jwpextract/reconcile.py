"""Reconciliation: the last stage, pure functions over the canonical plan.

* ``entities``: bodies and programmes named in paragraphs, the annex introduction, activities and
  footnotes, found through the gazetteer of ``rules/entities.json``. Short aliases (acronyms)
  match exactly, case-sensitively, as whole words; longer ones also match printed variants whose
  ``fuzz.ratio`` over case-folded words reaches ``fuzzy_threshold``. Overlapping candidates keep
  the best score, then the longest span.
* ``links``: a passage that restates another (``paragraph:11`` -> ``activity:4.2``), scored by the
  mean of ``token_set_ratio`` and ``partial_ratio`` over the passages' words.
* numbering ``warnings``: gaps and duplicates within a number prefix.
* ``activity.actors`` (and item actors) canonical, unique and sorted.

Mention offsets: element texts are re-joined from source lines (line breaks, hyphens), so a
mention is located again, letters and digits in order with anything between them. Given the
document text (``reconcile(plan, rules, text=layout.text)``, as the pipeline does), it is found
in the element's span ``[provenance.start, provenance.end)`` of that text: offsets are exact.
Without it (a plan read back from JSON), it is found in ``provenance.source_text`` and mapped
linearly onto the span: exact when the element's lines are contiguous in the document, otherwise
approximate, as blank lines, trailing spaces and page furniture between the lines are spread
evenly over the span. A mention that cannot be located again gets its proportional position.
Offsets are always clamped to the element's span.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from .actors import canonical_actor
from .models import Activity, CanonicalDocument, Entity, Link, Mention, Provenance, Warning
from .rules import EntitiesFile, RestatementRules, Rules
from .wording import fold, words

TOKEN = re.compile(r"\w(?:[\w'’‐-]*\w)?")
RANK = {"activity": 0, "paragraph": 1, "intro": 2, "footnote": 3}


@dataclass(frozen=True)
class Passage:
    """One element of the document that can name entities or restate another passage."""

    kind: str
    ref: str  # how links name it: "paragraph:11", "activity:4.2", "intro:3", "plan:2/intro:1"
    place: dict[str, str | int]  # the Mention fields that locate it
    order: int
    text: str
    provenance: Provenance | None

    def mention(self, text: str, start: int, end: int, page: int | None) -> Mention:
        return Mention(text=text, start=start, end=end, page=page, **self.place)  # type: ignore[arg-type]


def passages(doc: CanonicalDocument) -> list[Passage]:
    """The document's paragraphs (with their items), each plan's introduction and activities (full
    text), and footnotes."""
    found: list[tuple[str, str, dict[str, str | int], str, Provenance | None]] = []
    for p in doc.paragraphs:
        text = " ".join([p.text, *(i.text for i in p.items)])
        found.append(("paragraph", f"paragraph:{p.number}", {"paragraph": p.number}, text, p.provenance))
    for k, plan in enumerate(doc.plans):
        prefix = f"{plan.id}/" if k else ""
        found += [
            ("intro", f"{prefix}intro:{p.number}", {"plan": plan.id, "intro": p.number}, p.text, p.provenance)
            for p in plan.intro
        ]
        found += [
            ("activity", a.id, {"plan": plan.id, "activity": a.id}, a.full_text or a.text, a.provenance)
            for a in plan.activities
        ]
    found += [("footnote", f"footnote:{f.number}", {"footnote": f.number}, f.text, f.provenance) for f in doc.footnotes]
    return [Passage(kind, ref, place, order, text, prov) for order, (kind, ref, place, text, prov) in enumerate(found)]


# --- entities ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    score: float
    entity: str
    start: int
    end: int


def _tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN.finditer(text))


def _key(text: str) -> str:
    return " ".join(words(text))


class Gazetteer:
    """The entity rules prepared for matching: exact patterns, and long aliases by word count."""

    def __init__(self, rules: EntitiesFile) -> None:
        self.rules = rules
        self.names = {rule.id: rule.name for rule in rules.entities}
        self.exact: list[tuple[str, re.Pattern[str]]] = []
        by_size: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for rule in rules.entities:
            for alias in [rule.name, *rule.aliases]:
                if len(alias) <= rules.exact_max_chars:
                    self.exact.append((rule.id, re.compile(rf"(?<!\w){re.escape(alias)}(?!\w)")))
                else:
                    by_size[len(_tokens(fold(alias)))].append((rule.id, _key(alias)))
        self.windows: list[tuple[int, list[str], list[str]]] = []
        """(window size, entity ids, alias keys): the long aliases with one word more or less than the window."""
        for size in sorted({s + d for s in by_size for d in (-1, 0, 1) if s + d >= 1}):
            aliases = [a for s in (size - 1, size, size + 1) for a in by_size.get(s, [])]
            self.windows.append((size, [entity for entity, _ in aliases], [key for _, key in aliases]))

    def exact_candidates(self, text: str) -> Iterator[Candidate]:
        for entity, pattern in self.exact:
            for found in pattern.finditer(text):
                yield Candidate(100.0, entity, found.start(), found.end())

    def fuzzy_candidates(self, text: str) -> Iterator[Candidate]:
        """Windows of the text's words against every long alias with one word more or less."""
        tokens = _tokens(text)
        token_keys = [_key(token.group()) for token in tokens]
        for size, entities, aliases in self.windows:
            if size > len(tokens):
                break
            keys = [" ".join(filter(None, token_keys[i : i + size])) for i in range(len(tokens) - size + 1)]
            scores = process.cdist(aliases, keys, scorer=fuzz.ratio, score_cutoff=self.rules.fuzzy_threshold)
            for row, col in zip(*scores.nonzero(), strict=True):
                yield Candidate(float(scores[row, col]), entities[row], tokens[col].start(), tokens[col + size - 1].end())


def find_mentions(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """Non-overlapping entity names in ``text``: best score first, then the longest span."""
    candidates = sorted(
        [*gazetteer.exact_candidates(text), *gazetteer.fuzzy_candidates(text)],
        key=lambda c: (-c.score, c.start - c.end, c.start),
    )
    taken: list[Candidate] = []
    for cand in candidates:
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


@lru_cache(maxsize=4096)
def _source_pattern(printed: str) -> re.Pattern[str]:
    """The printed form's letters and digits (no regex syntax), anything else (line breaks, hyphens) between them."""
    return re.compile(r"\W*".join(c for c in printed if c.isalnum()))


def _nearest(pattern: re.Pattern[str], region: str, hint: int) -> tuple[int, int] | None:
    hits = list(pattern.finditer(region))
    if not hits:
        return None
    best = min(hits, key=lambda m: abs(m.start() - hint))
    return best.start(), best.end()


def document_span(passage: Passage, start: int, end: int, document: str | None = None) -> tuple[int, int, int | None]:
    """Document offsets and page of ``passage.text[start:end]`` (see the module docstring).

    With the ``document`` text, the mention is found again in the element's span of it: exact.
    Without, it is found in ``provenance.source_text`` and mapped linearly onto the span.
    """
    prov = passage.provenance
    if prov is None:
        return start, end, None
    text, source = passage.text, prov.source_text
    pattern = _source_pattern(text[start:end])
    lead = _source_pattern(text[: min(len(text), 24)]).search(source)
    body = lead.start() if lead else 0
    share = start / max(1, len(text))
    guess = body + round(share * (len(source) - body))
    in_source = _nearest(pattern, source, guess)
    if document is not None:
        region = document[prov.start : prov.end]
        guess = round(share * len(region))
        first, last = _nearest(pattern, region, guess) or (guess, guess + end - start)
        doc_start, doc_end = prov.start + first, prov.start + last
    else:
        scale = (prov.end - prov.start) / max(1, len(source) - body)
        first, last = in_source or (guess, guess + end - start)
        doc_start, doc_end = (prov.start + round((offset - body) * scale) for offset in (first, last))
    doc_start = min(max(prov.start, doc_start), prov.end)
    doc_end = min(max(doc_start, doc_end), prov.end)
    line = source[: in_source[0]].count("\n") if in_source else -1
    return doc_start, doc_end, _page(prov, line)


def _page(prov: Provenance, line: int) -> int | None:
    if len(prov.pages) == 1:
        return prov.pages[0]
    lines = prov.source_text.count("\n") + 1
    if len(prov.boxes) == lines and 0 <= line < lines:
        return prov.boxes[line].page
    return None


def find_entities(items: list[Passage], rules: EntitiesFile, document: str | None = None) -> list[Entity]:
    """Entities with at least one mention, in the order of their first mention (a text printed more
    than once is searched once)."""
    gazetteer = Gazetteer(rules)
    found: dict[str, list[Candidate]] = {}
    mentions: dict[str, list[Mention]] = defaultdict(list)
    for passage in items:
        if passage.text not in found:
            found[passage.text] = find_mentions(passage.text, gazetteer)
        for cand in found[passage.text]:
            start, end, page = document_span(passage, cand.start, cand.end, document)
            mentions[cand.entity].append(passage.mention(passage.text[cand.start : cand.end], start, end, page))
    ordered = sorted(mentions, key=lambda key: (mentions[key][0].start, key))
    return [Entity(id=key, name=gazetteer.names[key], mentions=mentions[key]) for key in ordered]


# --- links ------------------------------------------------------------------------------------


BOUND_SLACK = 1e-6
"""Margin for float rounding where a score is bounded or a cutoff derived from one."""


def _restates_key(passage: Passage) -> tuple[int, int]:
    """A passage restates those with a smaller key: the cover note and introduction restate the
    activities; within one kind, the later passage restates the earlier."""
    return RANK[passage.kind], passage.order


def _ranks(eligible: list[Passage]) -> np.ndarray:
    """The position of each passage in the order of :func:`_restates_key`."""
    ordered = sorted(range(len(eligible)), key=lambda k: _restates_key(eligible[k]))
    ranks = np.empty(len(eligible), dtype=np.int64)
    ranks[ordered] = np.arange(len(eligible))
    return ranks


def _char_counts(keys: list[str]) -> np.ndarray:
    """Row k: how often each character occurs in ``keys[k]`` (a column per character of all keys)."""
    codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32)
    chars, columns = np.unique(codes, return_inverse=True)
    rows = np.repeat(np.arange(len(keys)), [len(key) for key in keys])
    cells = np.bincount(rows * len(chars) + columns.ravel(), minlength=len(keys) * len(chars))
    return cells.reshape(len(keys), len(chars))


def _partial_ratio(a: str, b: str, cutoff: float) -> float:
    """``fuzz.partial_ratio(a, b)`` when it reaches ``cutoff``, else 0. An exact occurrence is tried
    first: asked for 100 only, rapidfuzz skips the alignments of other lengths, which a lower cutoff
    makes it score one by one."""
    return fuzz.partial_ratio(a, b, score_cutoff=100) or fuzz.partial_ratio(a, b, score_cutoff=cutoff)


class Restatements:
    """The passages that can be linked, prepared for scoring their pairs.

    The score of passages ``i < j`` is the mean of ``token_set_ratio`` (as a float32, as
    ``process.cdist`` gives it) and ``partial_ratio`` of their word keys; a pair whose token_set_ratio
    is 0 or below ``2 * threshold - 100`` is no candidate. ``token_set_ratio`` compares word sets: it is
    computed on the sorted, unique words of the keys. ``partial_ratio`` is the costly one: it is
    bounded by the characters the keys share, and computed only where and as far as it can change the
    result. A pair of keys met again (a text printed more than once) is not scored again.
    """

    def __init__(self, eligible: list[Passage], keys: list[str], settings: RestatementRules) -> None:
        self.keys = keys
        self.key_ids = np.unique(keys, return_inverse=True)[1].ravel()
        self.word_sets = [" ".join(sorted(set(key.split()))) for key in self.keys]
        self.counts = _char_counts(self.keys)
        self.lengths = np.array([len(key) for key in self.keys])
        self.ranks = _ranks(eligible)
        self.threshold = settings.threshold
        self.token_cutoff = max(0.0, 2 * settings.threshold - 100)
        self.scores: dict[tuple[str, str], tuple[float | None, float]] = {}
        """(score, need) of the pairs of keys scored so far"""

    def bounds(self, source: int, partners: np.ndarray) -> np.ndarray:
        """Upper bounds of the scores of ``source`` with each of ``partners``.

        token_set_ratio is at most 100; partial_ratio at most ``200 c / (m + c)``, with ``m`` the
        shorter key's length and ``c`` the characters the keys share (with multiplicity): an alignment
        of length ``w`` has at most ``min(w, c)`` characters in common with the shorter key.
        """
        shared = np.minimum(self.counts[source], self.counts[partners]).sum(axis=1)
        total = np.minimum(self.lengths[source], self.lengths[partners]) + shared
        partial = np.divide(200.0 * shared, total, out=np.full(len(partners), 100.0), where=total > 0)
        return np.minimum(100.0, (100.0 + partial) / 2 + BOUND_SLACK)

    def measure(self, i: int, j: int, bound: float, need: float) -> float | None:
        """The score of passages ``i < j`` (at most ``bound``), None when they are no candidate pair; a score
        below ``need`` is only known to be below it. Their token_set_ratio tightens the bound (partial_ratio
        is what it bounds); partial_ratio is computed only while the score can reach ``need``."""
        words_i, words_j = self.word_sets[i], self.word_sets[j]
        token_set = float(np.float32(fuzz.token_set_ratio(words_i, words_j, score_cutoff=self.token_cutoff)))
        if not token_set:
            return None
        tighter = bound - (100 - token_set) / 2
        if tighter < need:
            return tighter
        cutoff = max(0.0, 2 * need - token_set - BOUND_SLACK)
        return (token_set + _partial_ratio(self.keys[i], self.keys[j], cutoff)) / 2

    def score(self, i: int, j: int, bound: float, need: float) -> float | None:
        """:meth:`measure`, once per pair of keys (a text printed more than once), again only for a lower
        ``need``."""
        pair = (self.keys[i], self.keys[j])
        known = self.scores.get(pair)
        if known is None or (known[0] is not None and known[0] < known[1] and need < known[1]):
            known = self.scores[pair] = (self.measure(i, j, bound, need), need)
        return known[0]

    def partners(self, source: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The passages ``source`` may restate, the bounds of their scores and the row-major positions of their
        pairs, best bound first, then by position. Of partners with one key on one side of ``source``, only the
        first is kept: the others score the same and come after it."""
        partners = np.flatnonzero(self.ranks < self.ranks[source])
        _, first = np.unique(self.key_ids[partners] * 2 + (partners > source), return_index=True)
        partners = partners[first]
        bounds = self.bounds(source, partners)
        keep = bounds >= self.threshold
        partners, bounds = partners[keep], bounds[keep]
        positions = np.minimum(partners, source) * len(self.keys) + np.maximum(partners, source)
        order = np.lexsort((positions, -bounds))
        return partners[order], bounds[order], positions[order]

    def original(self, source: int) -> tuple[float, int] | None:
        """(score, partner) of what passage ``source`` restates best: the best score reaching the
        threshold, on a tie the pair first in row-major order of ``(i, j)``, ``i < j``; None without one.

        Partners are scored by decreasing bound, while the bound can still beat the best so far.
        """
        best: tuple[float, int, int] | None = None  # score, -position, partner
        for partner, bound, position in zip(*(column.tolist() for column in self.partners(source)), strict=True):
            if best is not None and (bound, -position) < best[:2]:
                break
            need = best[0] if best else self.threshold
            score = self.score(min(source, partner), max(source, partner), bound, need)
            if score is not None and score >= self.threshold and (best is None or (score, -position) > best[:2]):
                best = (score, -position, partner)
        return None if best is None else (best[0], best[2])


def find_links(items: list[Passage], settings: RestatementRules) -> list[Link]:
    """For each passage, the passage it restates best, when the score reaches the threshold."""
    texts = {p.text: words(p.text) for p in items if p.kind != "footnote"}
    eligible = [p for p in items if p.kind != "footnote" and len(texts[p.text]) >= settings.min_words]
    if len(eligible) < 2:
        return []
    pairs = Restatements(eligible, [" ".join(texts[p.text]) for p in eligible], settings)
    links = []
    for source, passage in enumerate(eligible):
        found = pairs.original(source)
        if found is not None:
            score, partner = found
            links.append(Link(**{"from": passage.ref, "to": eligible[partner].ref, "similarity": round(score / 100, 3)}))
    return links


# --- numbering --------------------------------------------------------------------------------


def _position(number: str) -> tuple[str, int] | None:
    """("2", 3) for "2.3", ("", 4) for "4", ("1", 2) for "1.b"; None when not a plain counter."""
    prefix, _, last = number.strip().rstrip(".").rpartition(".")
    if last.isdigit():
        return prefix, int(last)
    if len(last) == 1 and last.isalpha():
        return prefix, ord(last.lower()) - ord("a") + 1
    return None


def _label(prefix: str, index: int, like: str) -> str:
    last = like.rstrip(".").rpartition(".")[2]
    value = str(index) if last.isdigit() else chr(ord("a") + index - 1)
    return f"{prefix}.{value}" if prefix else value


def numbering_warnings(kind: str, numbered: list[tuple[str, str]]) -> list[Warning]:
    """Duplicates and gaps in ``(number, element id)`` pairs, gaps counted within a number prefix."""
    warnings: list[Warning] = []
    seen: Counter[str] = Counter()
    present: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for number, where in numbered:
        seen[number] += 1
        if seen[number] == 2:
            warnings.append(Warning(code="duplicate-number", message=f"{kind} {number} is numbered twice", where=where))
        position = _position(number)
        if position is not None:
            present[position[0]].setdefault(position[1], (number, where))
    for prefix, indexes in present.items():
        previous = 0
        for index in sorted(indexes):
            if index > previous + 1:
                number, where = indexes[index]
                missing = [_label(prefix, i, number) for i in (previous + 1, index - 1)]
                span = missing[0] if missing[0] == missing[1] else f"{missing[0]} to {missing[1]}"
                before = f"after {indexes[previous][0]} " if previous else ""
                warnings.append(
                    Warning(
                        code="numbering-gap",
                        message=f"{kind} {span} missing: numbering goes {before}to {number}",
                        where=where,
                    )
                )
            previous = index
    return warnings


def document_numbering_warnings(doc: CanonicalDocument) -> list[Warning]:
    """Gaps and duplicates in the document's paragraphs, each decision's paragraphs and each plan."""
    warnings = numbering_warnings("paragraph", [(p.number, f"paragraph:{p.number}") for p in doc.paragraphs])
    for decision in doc.decisions:
        paragraphs = [(p.number, f"{decision.id}/paragraph:{p.number}") for p in decision.paragraphs]
        warnings += numbering_warnings("paragraph", paragraphs)
    for k, plan in enumerate(doc.plans):
        prefix = f"{plan.id}/" if k else ""
        warnings += numbering_warnings("section", [(s.number, f"{prefix}section:{s.number}") for s in plan.sections])
        warnings += numbering_warnings("activity", [(a.number, a.id) for a in plan.activities])
    return warnings


# --- actors -----------------------------------------------------------------------------------


def canonical_actors(names: list[str], rules: Rules) -> list[str]:
    """Canonical names (through the actors stage's gazetteer), unique, sorted case-insensitively."""
    canonical = {canonical_actor(name, rules) or name.strip() for name in names if name.strip()}
    return sorted(canonical, key=lambda name: (name.casefold(), name))


def _with_canonical_actors(activity: Activity, rules: Rules) -> Activity:
    items = [item.model_copy(update={"actors": canonical_actors(item.actors, rules)}) for item in activity.items]
    return activity.model_copy(update={"actors": canonical_actors(activity.actors, rules), "items": items})


# --- the stage --------------------------------------------------------------------------------


def reconcile(doc: CanonicalDocument, rules: Rules, text: str | None = None) -> CanonicalDocument:
    """The document with entities, links, numbering warnings and canonical actors (a new copy).

    ``text`` is the document text (``LayoutDocument.text``): with it, mention offsets are exact.
    Idempotent: entities and links are recomputed, a warning already present is not repeated.
    """
    items = passages(doc)
    known = {(w.code, w.where) for w in doc.warnings}
    warnings = list(doc.warnings)
    for warning in document_numbering_warnings(doc):
        if (warning.code, warning.where) not in known:
            known.add((warning.code, warning.where))
            warnings.append(warning)
    plans = [
        plan.model_copy(update={"activities": [_with_canonical_actors(a, rules) for a in plan.activities]})
        for plan in doc.plans
    ]
    return doc.model_copy(
        update={
            "entities": find_entities(items, rules.entities, text),
            "links": find_links(items, rules.entities.links),
            "warnings": warnings,
            "plans": plans,
        }
    )
