"""Lineage reports: CSV and Markdown (one row per chain), and the words both share with the HTML timeline.

A chain's row holds, per version, its activity numbers ("2.1 + 2.2" for two activities, "—" for
none) and, between two versions, what happened at that step: ``added``, ``dropped``,
``unchanged`` or the kinds of change ("renumbered, text"), in the order of the diff's kinds.
"""

from __future__ import annotations

import csv
import io

from .lineage import Chain, Lineage, LineageVersion
from .models import CHANGE_KINDS

NONE = "—"


def version_label(version: LineageVersion, index: int) -> str:
    """``v2 UNEP/CMS/StC44/Doc.17 (2015-2017)``: the version's number, symbol (else path) and period."""
    period = f" ({version.period.start}-{version.period.end})" if version.period else ""
    return f"v{index + 1} {version.symbol or version.path}{period}"


def numbers_text(numbers: list[str]) -> str:
    return " + ".join(numbers) or NONE


def step_text(chain: Chain, k: int) -> str:
    """What happened to the chain between version ``k`` and ``k + 1`` (0-based)."""
    steps = chain.steps[k]
    if not steps:
        return ""
    if all(s.status == "added" for s in steps) and not chain.numbers[k]:
        return "added"
    if all(s.status == "removed" for s in steps) and not chain.numbers[k + 1]:
        return "dropped"
    kinds = {kind for s in steps for kind in s.changes}
    words = [kind for kind in CHANGE_KINDS if kind in kinds]
    words += [status for status in ("added", "removed") if any(s.status == status for s in steps)]
    return ", ".join(words) or "unchanged"


def _row(chain: Chain) -> list[str]:
    cells = [chain.id, numbers_text(chain.numbers[0])]
    for k in range(len(chain.steps)):
        cells += [step_text(chain, k), numbers_text(chain.numbers[k + 1])]
    return cells


def _header(report: Lineage) -> list[str]:
    header = ["lineage", "v1"]
    for k in range(1, len(report.versions)):
        header += [f"v{k}-v{k + 1}", f"v{k + 1}"]
    return header


def render_csv(report: Lineage) -> str:
    """A header (lineage, v1, v1-v2, v2, …), then one row per chain."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_header(report))
    writer.writerows(_row(chain) for chain in report.chains)
    return buffer.getvalue()


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def render_markdown(report: Lineage) -> str:
    lines = ["# Plan lineage", ""]
    for index, version in enumerate(report.versions):
        plan = f"{version.plan}: {version.title or '(untitled)'}" if version.plan else "no such plan"
        lines.append(f"- {_cell(version_label(version, index))} (`{version.path}`): {_cell(plan)}")
    added = sum(chain.added_in is not None for chain in report.chains)
    dropped = sum(chain.dropped_in is not None for chain in report.chains)
    lines += ["", f"{len(report.chains)} chains: {added} added after v1, {dropped} dropped before the last version.", ""]
    header = _header(report)
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in _row(chain)) + " |" for chain in report.chains]
    return "\n".join(lines) + "\n"
