"""What a batch tells the user on stderr: a progress bar or log lines, failures, and a summary line.

On a terminal, a rich progress bar, with each failure printed above it; otherwise one plain line per
source (``jwpextract: SOURCE -> OUTPUT``, ``jwpextract: SOURCE: skipped (up to date)``). A failure
is always one line, ``jwpextract: SOURCE: REASON``, also with ``quiet``.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from .batch import Outcome, Report
from .errors import printable


def one_line(text: str) -> str:
    return " ".join(text.split())


def outcome_line(outcome: Outcome) -> str:
    """One line, whatever the file names hold (their control characters escaped)."""
    source = printable(outcome.source)
    if outcome.status == "failed":
        return f"jwpextract: {source}: {printable(one_line(outcome.reason))}"
    if outcome.status == "skipped":
        return f"jwpextract: {source}: skipped ({outcome.reason})"
    return f"jwpextract: {source} -> {printable(str(outcome.output or '-'))}"


def summary_line(outcomes: Sequence[Outcome], seconds: float) -> str:
    """``jwpextract: 4 extracted, 2 failed (not a PDF: 1, empty file: 1), 3 skipped in 2.1 s``.

    Failures are grouped by the first part of their reason (up to its first ``": "``).
    """
    counts = Counter(o.status for o in outcomes)
    kinds = Counter(one_line(o.reason).split(": ", 1)[0] for o in outcomes if o.status == "failed")
    reasons = ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
    failed = f"{counts['failed']} failed" + (f" ({reasons})" if reasons else "")
    return f"jwpextract: {counts['extracted']} extracted, {failed}, {counts['skipped']} skipped in {seconds:.1f} s"


def _printer(stream: TextIO, everything: bool) -> Report:
    def report(outcome: Outcome) -> None:
        if everything or outcome.status == "failed":
            stream.write(outcome_line(outcome) + "\n")  # one write: an interrupt cannot split the line
            stream.flush()

    return report


@contextmanager
def _bar(total: int, stream: TextIO) -> Iterator[Report]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=stream, highlight=False)
    columns = (
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}", markup=False),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("extract", total=total, last="")

        def report(outcome: Outcome) -> None:
            if outcome.status == "failed":
                progress.console.print(outcome_line(outcome), markup=False, soft_wrap=True)
            progress.update(task, advance=1, last=outcome.source)

        yield report


@contextmanager
def reporting(total: int, *, quiet: bool = False, stream: TextIO | None = None) -> Iterator[Report]:
    """A report for :func:`~jwpextract.batch.run_batch`: a bar on a terminal, else log lines."""
    out = stream or sys.stderr
    if quiet:
        yield _printer(out, everything=False)
    elif out.isatty():
        with _bar(total, out) as report:
            yield report
    else:
        yield _printer(out, everything=True)
