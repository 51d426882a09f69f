"""The spaCy pipeline of the entity stages (a blank English pipeline with a tokenizer for document symbols),
and what those stages share: caching per rules digest, regexes of rule words.

Tokens are runs of letters, runs of digits and single other characters ("Res.8.11" -> Res . 8 . 11,
"COP10" -> COP 10), so that Matcher patterns see the parts of a reference; ``token.idx`` is the exact
character offset and ``token._.space_before`` tells whether white space precedes the token. The
vocabulary of the rules (convention names, bodies, symbol prefixes, kind words ...) is marked on the
tokens as ``token._.role`` / ``token._.value``, a name of several tokens being merged into one token.

spaCy is imported inside the functions: importing this module stays cheap.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache, wraps
from typing import TYPE_CHECKING, TypeVar

from .rules import Rules

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc, Token
    from spacy.vocab import Vocab

T = TypeVar("T")

RUN_TOKENIZER = "jwpextract.RunTokenizer.v1"
"""The name of :class:`RunTokenizer` in spaCy's registry of tokenizers."""

MARKED = "jwpextract.marked"
"""Key of ``doc.user_data`` holding the indices of the tokens that carry a role."""

MEMO_SIZE = 1 << 14
"""Results kept by a :func:`memoized` function."""

TOKENS = re.compile(r"(?P<run>[^\W\d_]+|\d+|\S)(?P<space> ?)|(?P<blank>\s+)")
"""A run of letters, a run of digits or a single other character, with one space right after it; or a run
of white space that is no such space."""


_RULES: dict[str, Rules] = {}
"""The latest rules of each digest: what :func:`per_rules` and :func:`memoized` functions are computed with."""


def _digest(rules: Rules) -> str:
    """The digest of ``rules``, noted as the latest rules of that digest."""
    _RULES[rules.digest] = rules
    return rules.digest


def per_rules(build: Callable[[Rules], T]) -> Callable[[Rules], T]:
    """Memoize ``build`` on the digest of the rules: rules with the same content share one result."""

    @cache
    def keyed(digest: str) -> T:
        return build(_RULES[digest])

    def cached(rules: Rules) -> T:
        return keyed(_digest(rules))

    return cached


def memoized(function: Callable[[str, Rules], T]) -> Callable[[str, Rules], T]:
    """Memoize ``function(text, rules)`` on the text and the digest of the rules, keeping the most recent
    ``MEMO_SIZE`` results: a document repeats its lines, values and names. Callers must not mutate a result."""

    @lru_cache(maxsize=MEMO_SIZE)
    def keyed(text: str, digest: str) -> T:
        return function(text, _RULES[digest])

    @wraps(function)
    def cached(text: str, rules: Rules) -> T:
        return keyed(text, _digest(rules))

    return cached


def alternation(words: Iterable[str]) -> str:
    """A regex group matching any of ``words`` (longest first, any white space between their words), as whole
    words where they begin or end with a letter or digit; it matches nothing when ``words`` is empty.

    The word-start check is made once for each run of words beginning with a letter or digit: the same
    alternatives in the same order, tried faster."""
    runs: list[tuple[bool, list[str]]] = []
    for word in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        body = r"\s+".join(re.escape(piece) for piece in word.split()) + (r"(?!\w)" if word[-1].isalnum() else "")
        starts_word = word[0].isalnum()
        if runs and runs[-1][0] == starts_word:
            runs[-1][1].append(body)
        else:
            runs.append((starts_word, [body]))
    parts = [(r"(?<!\w)" if starts_word else "") + "(?:" + "|".join(bodies) + ")" for starts_word, bodies in runs]
    return "(?:" + ("|".join(parts) or "(?!)") + ")"


def matches_form(printed: str, form: str) -> bool:
    """Whether ``printed`` is the rule entry ``form``: see :func:`case_sensitive`."""
    if case_sensitive(form):
        return printed == form
    return " ".join(printed.split()).casefold() == " ".join(form.split()).casefold()


def case_sensitive(form: str) -> bool:
    """One word with capitals ("COP", "Ramsar", "UNEP/CMS/") matches exactly; other entries in any case."""
    return " " not in form.strip() and form != form.lower()


class RunTokenizer:
    """Runs of letters, runs of digits and single other characters; one following space is the token's
    whitespace, any other white space a token of its own (so ``doc.text == text``)."""

    def __init__(self, vocab: Vocab) -> None:
        from spacy.tokens import Doc

        self.vocab = vocab
        self.doc = Doc

    def __call__(self, text: str) -> Doc:
        found = TOKENS.findall(text)
        words = [run or blank for run, _, blank in found]
        spaces = [bool(space) for _, space, _ in found]
        return self.doc(self.vocab, words=words, spaces=spaces)


def _run_tokenizer() -> Callable[[Language], RunTokenizer]:
    """The factory of the RunTokenizer in spaCy's registry (a blank pipeline then builds no default tokenizer)."""
    return lambda nlp: RunTokenizer(nlp.vocab)


@dataclass(frozen=True)
class Entry:
    """A name of the rules' vocabulary: tokens printed ``phrase`` get ``role`` and ``value``."""

    phrase: str
    role: str
    value: str


def vocabulary(rules: Rules) -> list[Entry]:
    """Every marked name, in priority order (the first entry of a phrase wins)."""
    entries: list[Entry] = []
    for conv in rules.conventions.conventions:
        entries += [Entry(name, "convention", conv.key) for name in [conv.short, *conv.names]]
        entries += [Entry(prefix, "prefix", conv.key) for prefix in conv.symbol_prefixes]
    for conv in rules.conventions.conventions:
        bodies = [*conv.bodies.values(), *conv.context_bodies.values()]
        entries += [Entry(form, "body", form) for forms in bodies for form in forms]
    refs = rules.references
    entries += [Entry(word, "kind", kind) for kind, words in refs.kind_words.items() for word in words]
    entries += [Entry(word, "draft", word) for word in refs.draft_words]
    entries += [Entry(word, "revision", word) for word in refs.revision_words]
    entries += [Entry(word, "marker", key) for key, words in refs.convention_markers.items() for word in words]
    entries += [Entry(name, "framework", key) for key, names in refs.target_frameworks.items() for name in names]
    entries += [Entry(word, "target", word) for word in refs.target_words]
    entries += [Entry(word, "possessive", word) for word in refs.possessive_words]
    entries += [Entry(word, "documents", singular) for word, singular in refs.document_lists.items()]
    return entries


def register_extensions() -> None:
    """Register the token attributes that Matcher patterns test: ``_.role``, ``_.value``, ``_.space_before``."""
    from spacy.tokens import Token

    if not Token.has_extension("role"):
        Token.set_extension("role", default="")
        Token.set_extension("value", default="")
        Token.set_extension("space_before", getter=_space_before)


def _space_before(token: Token) -> bool:
    if token.i == 0:
        return False
    before = token.doc[token.i - 1]
    return bool(before.whitespace_) or before.is_space


@dataclass
class Analyzer:
    """The pipeline and the phrase matchers of the vocabulary; ``analyzer(text)`` is the marked Doc."""

    nlp: Language
    exact: PhraseMatcher
    any_case: PhraseMatcher
    entries: dict[str, Entry]

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Span
        from spacy.util import filter_spans

        doc = self.nlp(text)
        found = [Span(doc, start, end, label=key) for key, start, end in [*self.exact(doc), *self.any_case(doc)]]
        kept = filter_spans(found)
        with doc.retokenize() as retokenizer:
            for span in kept:
                entry = self.entries[span.label_]
                attrs = {"_": {"role": entry.role, "value": entry.value}}
                retokenizer.merge(span, attrs=attrs)
        merged = itertools.accumulate((len(span) - 1 for span in kept), initial=0)
        doc.user_data[MARKED] = [span.start - shift for span, shift in zip(kept, merged, strict=False)]
        return doc


def marked(doc: Doc) -> list[Token]:
    """The tokens of ``doc`` that carry a role, in order (without reading every token's role)."""
    return [doc[i] for i in doc.user_data.get(MARKED, ())]


@per_rules
def analyzer(rules: Rules) -> Analyzer:
    """The analyzer of ``rules`` (built once per rules digest)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    register_extensions()
    spacy.registry.tokenizers.register(RUN_TOKENIZER, func=_run_tokenizer)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": RUN_TOKENIZER}}})
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    any_case = PhraseMatcher(nlp.vocab, attr="LOWER")
    entries: dict[str, Entry] = {}
    seen: set[str] = set()
    for entry in vocabulary(rules):
        sensitive = case_sensitive(entry.phrase)
        phrase = entry.phrase if sensitive else entry.phrase.lower()
        if not phrase.strip() or phrase in seen:
            continue
        seen.add(phrase)
        key = f"{entry.role}:{entry.value}"
        entries[key] = entry
        (exact if sensitive else any_case).add(key, [nlp.make_doc(entry.phrase)])
    return Analyzer(nlp=nlp, exact=exact, any_case=any_case, entries=entries)


def parse(text: str, rules: Rules) -> Doc:
    """``text`` tokenized, its names of the rules marked."""
    return analyzer(rules)(text)
