"""Alignment of two versions' elements: one to one where possible, then merges and splits.

1. Same number and a similar text (``same_number_min``): the common case, settled first.
2. The rest: an optimal one-to-one assignment maximizing the summed word similarity
   (:func:`hungarian`), keeping pairs at or above ``align_min``. Greedy-by-score can pair an
   element with a slightly better partner and leave its true partner stranded; the assignment
   cannot, and at < 200 activities the O(n^2 m) algorithm with numpy rows takes milliseconds.
3. Merges and splits (:func:`find_groups`): an element of one side whose words cover two or more
   elements of the other side. Coverage is idf-weighted, so the boilerplate every activity shares
   ("The Secretariats will ...") explains nothing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from ..rules import AlignRules, MergeRules

Words = Sequence[str]
TIE_BREAK = 1e-6  # between equally similar candidates, the one with the same number wins


def hungarian(score: np.ndarray) -> list[tuple[int, int]]:
    """Rows and columns of a maximum-weight assignment of a rectangular score matrix.

    The shortest-augmenting-path algorithm with potentials (Kuhn-Munkres, Jonker-Volgenant
    style): each row is inserted in turn, one numpy pass over the columns per step.
    """
    if score.size == 0:
        return []
    transposed = score.shape[0] > score.shape[1]
    cost = -(score.T if transposed else score).astype(float)
    rows, cols = cost.shape
    u = np.zeros(rows + 1)
    v = np.zeros(cols + 1)
    owner = np.zeros(cols + 1, dtype=int)  # owner[j]: 1-based row assigned to column j (0: none)
    way = np.zeros(cols + 1, dtype=int)
    for row in range(1, rows + 1):
        owner[0] = row
        column = 0
        slack = np.full(cols + 1, np.inf)
        used = np.zeros(cols + 1, dtype=bool)
        while owner[column] != 0:
            used[column] = True
            current = owner[column]
            reduced = cost[current - 1] - u[current] - v[1:]
            free = ~used[1:]
            better = free & (reduced < slack[1:])
            slack[1:][better] = reduced[better]
            way[1:][better] = column
            candidates = np.where(free, slack[1:], np.inf)
            nearest = int(np.argmin(candidates)) + 1
            delta = candidates[nearest - 1]
            u[owner[used]] += delta
            v[used] -= delta
            slack[~used] -= delta
            column = nearest
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    pairs = [(int(owner[j]) - 1, j - 1) for j in range(1, cols + 1) if owner[j]]
    return sorted((j, i) for i, j in pairs) if transposed else sorted(pairs)


def similarity_matrix(old: Sequence[Words], new: Sequence[Words]) -> np.ndarray:
    """Word-level Indel similarity (0..1) of every old and new word sequence."""
    if not old or not new:
        return np.zeros((len(old), len(new)))
    return process.cdist(old, new, scorer=Indel.normalized_similarity, dtype=np.float64)


def align(
    similarity: np.ndarray, old_numbers: Sequence[str], new_numbers: Sequence[str], rules: AlignRules
) -> dict[int, int]:
    """One-to-one pairs old index -> new index (see the module docstring, steps 1 and 2)."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    same = sorted(
        (
            (-similarity[i, j], i, j)
            for i, number in enumerate(old_numbers)
            for j, other in enumerate(new_numbers)
            if number == other and similarity[i, j] >= rules.same_number_min
        ),
    )
    for _, i, j in same:
        if i not in pairs and j not in taken:
            pairs[i] = j
            taken.add(j)
    rest_old = [i for i in range(len(old_numbers)) if i not in pairs]
    rest_new = [j for j in range(len(new_numbers)) if j not in taken]
    sub = similarity[np.ix_(rest_old, rest_new)]
    same_number = np.array([[old_numbers[i] == new_numbers[j] for j in rest_new] for i in rest_old], dtype=bool)
    eligible = np.where(sub >= rules.align_min, sub + TIE_BREAK * same_number.reshape(sub.shape), 0.0)
    for r, c in hungarian(eligible):
        if eligible[r, c] > 0:
            pairs[rest_old[r]] = rest_new[c]
    return dict(sorted(pairs.items()))


@dataclass
class Coverage:
    """Idf-weighted word coverage between the elements of both versions."""

    weight: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: Sequence[Words]) -> Coverage:
        counts = Counter(word for doc in documents for word in set(doc))
        total = len(documents)
        return cls({word: math.log(1 + total / n) for word, n in counts.items()})

    def mass(self, words: Words) -> float:
        """Summed weight of the distinct words."""
        return sum(self.weight.get(w, 0.0) for w in set(words))

    def share(self, part: Words, whole: Words) -> float:
        """Weighted share of ``part``'s words that occur in ``whole``."""
        total = self.mass(part)
        return self.mass(set(part) & set(whole)) / total if total else 0.0


def find_groups(
    partner: dict[int, int],
    free: Sequence[int],
    parts: Sequence[Words],
    wholes: Sequence[Words],
    coverage: Coverage,
    rules: MergeRules,
    closed: Collection[int] = (),
) -> dict[int, list[int]]:
    """Wholes made of two or more parts: whole index -> part indexes, in order.

    ``partner`` maps a whole to its aligned part; ``free`` lists the unaligned parts. A free part
    joins a whole when the whole covers it (``cover_min``), it explains more of that whole than of
    any other (the weight of the whole's words it has and the whole's aligned part lacks: a short
    part is covered by many wholes, but only the one it came from misses its words), and it brings
    words of the whole that the parts already in the group do not have (``gain_min`` of its own
    words): a deleted activity whose words another, unchanged activity also has brings nothing. The parts
    together must explain ``whole_min`` of the whole. Wholes in ``closed`` (already parts of a
    merge, when looking for splits) take no parts. Old activities are the parts of merges; new
    ones, with the sides swapped, the parts of splits.
    """
    available = list(free)

    def explains(i: int, w: int) -> tuple[float, float]:
        known = set(parts[partner[w]]) if w in partner else set()
        return coverage.mass((set(parts[i]) & set(wholes[w])) - known), coverage.share(parts[i], wholes[w])

    open_wholes = [w for w in range(len(wholes)) if w not in closed]
    best = {i: max(open_wholes, key=lambda w: explains(i, w), default=-1) for i in free}
    groups: dict[int, list[int]] = {}
    for w in open_wholes:
        whole = wholes[w]
        group = [partner[w]] if w in partner else []
        candidates = sorted(
            (i for i in available if best[i] == w and coverage.share(parts[i], whole) >= rules.cover_min),
            key=lambda i: -coverage.share(parts[i], whole),
        )
        for i in candidates:
            known = {word for k in group for word in parts[k]}
            novel = [word for word in parts[i] if word not in known]
            if coverage.share(novel, whole) * coverage.mass(novel) >= rules.gain_min * coverage.mass(parts[i]):
                group.append(i)
        explained = coverage.share(whole, [word for k in group for word in parts[k]])
        if len(group) >= 2 and explained >= rules.whole_min:
            groups[w] = sorted(group)
            available = [i for i in available if i not in group]
    return groups
