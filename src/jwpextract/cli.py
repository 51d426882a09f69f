"""Command line: parses options and calls the library. Heavy imports happen inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from . import __version__

app = typer.Typer(
    name="jwpextract",
    help=(
        "Turn joint work plans in UN environmental-convention documents (PDF or text) into "
        "validated canonical JSON.\n\n"
        "Examples:\n\n"
        "  jwpextract extract corpus/ -o output/\n\n"
        "  jwpextract extract corpus/UNEP-CMS-StC38-Doc4.pdf -o - | jq '.activities[].number'\n\n"
        "  jwpextract schema > plan.schema.json\n\n"
        "  jwpextract validate output/*.json"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
DEFAULT_MEMORY = 2 << 30

RulesOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules",
        help="Folder of extra rule files (same names as rules/*.json) extending the bundled rules. Repeatable.",
        show_default=False,
    ),
]
EngineOption = Annotated[
    Literal["pdfium", "pdfplumber"],
    typer.Option(
        help="PDF engine: pdfium (PDFium, fast) or pdfplumber (pdfminer.six). Both give the same plans;"
        " only the boxes' coordinates differ a little.",
    ),
]


def _seconds(value: float) -> float:
    from .limits import parse_timeout

    try:
        return parse_timeout(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _size(value: str | int) -> int:
    """Bytes of a size such as 2GB or 512MB (:func:`jwpextract.limits.parse_size`); a default is bytes already."""
    from .limits import parse_size

    if isinstance(value, int):
        return value
    try:
        return parse_size(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


TimeoutOption = Annotated[
    float,
    typer.Option(
        callback=_seconds,
        help="Seconds allowed per document, held inside PDF engines too; a slower one fails (0 or inf: no limit).",
    ),
]
MaxMemoryOption = Annotated[
    int,
    typer.Option(
        "--max-memory",
        parser=_size,
        metavar="SIZE",
        show_default="2GB",
        help="Memory a document may take, e.g. 2GB, 512MB (its worker's address space beyond the extractor's"
        " own); a document needing more fails (0: no limit).",
    ),
]


def say(message: str) -> None:
    """One line on stderr (control characters in file names escaped)."""
    from .errors import printable

    typer.echo(f"jwpextract: {printable(message)}", err=True)


def fail(message: str, code: int) -> typer.Exit:
    say(message)
    return typer.Exit(code)


def emit(text: str, output: str = "-") -> None:
    """Write a report to stdout (``-``) or atomically to a file; an unwritable one exits 1."""
    from .writers import write_atomic, write_stdout

    try:
        if output == "-":
            write_stdout(text)
        else:
            write_atomic(Path(output), text)
    except OSError as exc:
        target = "to standard output" if output == "-" else output
        raise fail(f"cannot write {target}: {exc.strerror or exc}", EXIT_FAILED) from None


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"jwpextract {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Global options."""


def load_rules_or_exit(rules_dirs: list[Path] | None):
    from .errors import RulesError
    from .rules import load_rules

    try:
        return load_rules(list(rules_dirs or []))
    except RulesError as exc:
        raise fail(f"rules: {exc}", EXIT_USAGE) from None


@app.command()
def extract(
    sources: Annotated[
        list[str], typer.Argument(help="Source files (.txt, .pdf), folders (searched recursively), or - for stdin.")
    ],
    output: Annotated[
        str,
        typer.Option("-o", "--output", help="A .json file (one source), - for stdout, or a folder."),
    ] = "output",
    rules: RulesOption = None,
    password: Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")] = None,
    max_pages: Annotated[int, typer.Option(help="Refuse PDFs with more pages than this.")] = 2000,
    engine: EngineOption = "pdfium",
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Sources extracted in parallel processes (1: in this process).  [default: the CPU cores]",
            show_default=False,
        ),
    ] = None,
    timeout: TimeoutOption = 120,
    force: Annotated[bool, typer.Option("--force", help="Extract sources whose output is up to date too.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Report failures only: no progress, no summary.")] = False,
    max_memory: MaxMemoryOption = DEFAULT_MEMORY,
    fmt: Annotated[
        Literal["json", "jsonl"],
        typer.Option(
            "-f",
            "--format",
            help="json: a plan per document; jsonl: a plan per line on stdout (-o -), for several sources.",
        ),
    ] = "json",
) -> None:
    """Extract the canonical plan of each source.

    A folder output receives <file name>.json per source (UNEP-CMS-StC38-Doc4.pdf ->
    UNEP-CMS-StC38-Doc4.pdf.json), mirroring subfolders, and a manifest,
    .jwpextract-manifest.json: a rerun skips every source whose output is up to date (same
    source content, extractor version, rules and engine) and retries failed ones; --force redoes
    all. Progress goes to stderr (a bar on a terminal, else a line per source), then a summary.
    Each source runs in a worker process held to --timeout and --max-memory. Exit code 0: all
    extracted or skipped; 1: at least one source failed (each named on stderr with its reason, in
    one line) or an output could not be written; 2: usage error or malformed rules; 130:
    interrupted (Ctrl-C); 143: terminated (SIGTERM).

    Examples:

      jwpextract extract corpus/ -o output/

      jwpextract extract corpus/ -o output/ --workers 4 --timeout 300

      jwpextract extract doc.pdf -o doc.json --password secret

      cat plan.txt | jwpextract extract - -o -

      jwpextract extract corpus/ -o - --format jsonl | jq .plan.title
    """
    import time

    from .batch import BatchOptions, Terminated, default_workers, output_folder, plan_jobs, run_batch
    from .errors import OutputError
    from .progress import reporting, summary_line
    from .sources import ReadOptions

    loaded = load_rules_or_exit(rules)
    try:
        jobs = plan_jobs(sources, output, json_lines=fmt == "jsonl")
    except ValueError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    if not jobs:
        raise fail("no .txt or .pdf sources found in " + ", ".join(sources), EXIT_FAILED)
    options = BatchOptions(
        ReadOptions(password=password, engine=engine, max_pages=max_pages),
        tuple(rules or ()),
        workers=workers or default_workers(),
        timeout=timeout,
        force=force,
        max_memory=max_memory,
        isolate=timeout > 0,
        json_lines=fmt == "jsonl",
    )
    started = time.monotonic()
    single = len(jobs) == 1
    try:
        with reporting(len(jobs), quiet=quiet or single) as report:
            outcomes = run_batch(jobs, loaded, options, report, resume=output_folder(output))
    except KeyboardInterrupt:
        raise fail("interrupted; outputs written so far are kept, a rerun resumes", EXIT_INTERRUPTED) from None
    except Terminated:
        raise fail("terminated; outputs written so far are kept, a rerun resumes", EXIT_TERMINATED) from None
    except OutputError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    if not (quiet or single):
        typer.echo(summary_line(outcomes, time.monotonic() - started), err=True)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(EXIT_FAILED)


@app.command()
def text(
    source: Annotated[str, typer.Argument(help="A .txt or .pdf source, or - for stdin.")],
    password: Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")] = None,
    engine: EngineOption = "pdfium",
    timeout: TimeoutOption = 120,
    max_memory: MaxMemoryOption = DEFAULT_MEMORY,
) -> None:
    """Print the document text that provenance offsets (start, end) point into.

    Example: jwpextract text corpus/aewa-ramsar-jwp-2019.pdf | less
    """
    from .errors import SourceError
    from .isolated import document_text
    from .limits import Limits
    from .sources import ReadOptions

    options = ReadOptions(password=password, engine=engine)
    try:
        text = document_text(source, options, Limits(timeout, max_memory), load_rules_or_exit(None))
    except SourceError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    emit(text)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the canonical plan (generated from the models).

    Example: jwpextract schema > plan.schema.json
    """
    import json

    from .models import json_schema

    emit(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Canonical plan JSON files to check.")],
) -> None:
    """Check that JSON files are valid canonical plans. Exit code 1 when any is not.

    Example: jwpextract validate output/*.json
    """
    from .export import ExportError, load_plan

    bad = 0
    for path in files:
        try:
            load_plan(path)
        except ExportError as exc:
            say(str(exc))
            bad += 1
        else:
            emit(f"{path}: valid\n")
    if bad:
        raise typer.Exit(EXIT_FAILED)


@app.command("export")
def export_command(
    plans: Annotated[list[Path], typer.Argument(help="Canonical plan JSON files (outputs of extract).")],
    fmt: Annotated[
        Literal["csv", "jsonl", "md"],
        typer.Option("-f", "--format", help="csv: a row per activity; jsonl: an object per line; md: tables."),
    ] = "csv",
    output: Annotated[str, typer.Option("-o", "--output", help="File to write, or - for stdout.")] = "-",
) -> None:
    """Export the activities of plans as CSV, JSON Lines or Markdown tables.

    CSV columns: source, number, section, theme, text, timeframe_start, timeframe_end, actors,
    references (lists joined by "; "). Nothing is written when an input is not a valid plan: each
    is named on stderr and the exit code is 1.

    Examples:

      jwpextract export output/*.json --format csv -o activities.csv

      jwpextract export output/plan.pdf.json --format md
    """
    from .export import export, load_plans

    loaded, errors = load_plans(plans)
    for error in errors:
        say(error)
    if errors:
        raise typer.Exit(EXIT_FAILED)
    text = export(loaded, fmt)
    emit(text, output)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="Old version: a source (.txt, .pdf) or an extracted plan (.json).")],
    new: Annotated[str, typer.Argument(help="New version: a source (.txt, .pdf) or an extracted plan (.json).")],
    fmt: Annotated[
        Literal["json", "md", "html"] | None,
        typer.Option(
            "-f",
            "--format",
            help="json, md (summary and table) or html (one self-contained page, both versions side by side). "
            "Default: from the -o file's suffix; else md on a terminal, json otherwise.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[str, typer.Option("-o", "--output", help="File to write, or - for stdout.")] = "-",
    rules: RulesOption = None,
    password: Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")] = None,
    timeout: TimeoutOption = 120,
    max_memory: MaxMemoryOption = DEFAULT_MEMORY,
) -> None:
    """Compare two versions of a plan: activities aligned (renumbered, moved, merged, split, added,
    removed) with their changes (text, items, timeframe, actors, references), and plan-level changes
    (period, title, section titles). Exit code 0 when compared; 1 when a version cannot be read.

    Examples:

      jwpextract diff corpus/UNEP-CMS-StC38-Doc4.txt corpus/versions/UNEP-CMS-StC44-JWP-2015.pdf

      jwpextract diff old.json new.json --format html -o changes.html
    """
    from .diff import default_format, diff_plans, render
    from .errors import SourceError
    from .isolated import plans
    from .limits import Limits
    from .sources import ReadOptions

    loaded = load_rules_or_exit(rules)
    limits = Limits(timeout, max_memory)
    try:
        old_plan, new_plan = plans([old, new], ReadOptions(password=password), limits, loaded, rules or [])
    except SourceError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    fmt = fmt or default_format(output, sys.stdout.isatty())
    report = render(diff_plans(old_plan, new_plan, loaded), old_plan, new_plan, fmt)
    emit(report, output)


def main() -> None:
    app()
