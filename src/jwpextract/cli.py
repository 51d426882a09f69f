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
        "  jwpextract extract corpus/UNEP-CMS-StC38-Doc4.pdf -o - | jq '.plans[].activities[].number'\n\n"
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

OutputOption = Annotated[str, typer.Option("-o", "--output", help="File to write, or - for stdout.")]
PasswordOption = Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")]
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

OcrOption = Annotated[
    Literal["auto", "always", "never"],
    typer.Option(
        help="OCR (Tesseract) of PDF pages: auto, the pages without a usable text layer (scans); always, every page;"
        " never, none (a scanned PDF fails).",
    ),
]
OcrLangOption = Annotated[
    str,
    typer.Option(
        help="Tesseract's languages for OCR, joined by '+' (eng+fra+spa); each needs its data"
        " (apt-get install tesseract-ocr-fra).",
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
    password: PasswordOption = None,
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
    review: Annotated[
        bool, typer.Option("--review", help="Write the review page of each output beside it: <name>.review.html.")
    ] = False,
    max_memory: MaxMemoryOption = DEFAULT_MEMORY,
    fmt: Annotated[
        Literal["json", "jsonl"],
        typer.Option(
            "-f",
            "--format",
            help="json: a plan per document; jsonl: a plan per line on stdout (-o -), for several sources.",
        ),
    ] = "json",
    ocr: OcrOption = "auto",
    ocr_lang: OcrLangOption = "eng",
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

      jwpextract extract corpus/ -o output/ --review
      jwpextract extract scanned.pdf -o scanned.json --ocr-lang eng+fra

      cat plan.txt | jwpextract extract - -o -

      jwpextract extract corpus/ -o - --format jsonl | jq '.plans[].title'
    """
    import time

    from .batch import BatchOptions, Terminated, default_workers, output_folder, plan_jobs, run_batch
    from .errors import OutputError
    from .outputs.review import ReviewOptions
    from .progress import reporting, summary_line
    from .sources import ReadOptions

    loaded = load_rules_or_exit(rules)
    try:
        jobs = plan_jobs(sources, output, json_lines=fmt == "jsonl")
    except ValueError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    if review and output == "-":
        raise fail("--review writes files: give -o a folder or a .json file", EXIT_USAGE)
    if not jobs:
        raise fail("no .txt or .pdf sources found in " + ", ".join(sources), EXIT_FAILED)
    ocr_jobs = max(1, default_workers() // min(workers or default_workers(), len(jobs)))  # the cores a source has
    options = BatchOptions(
        ReadOptions(password=password, engine=engine, max_pages=max_pages, ocr=ocr, ocr_lang=ocr_lang, ocr_jobs=ocr_jobs),
        tuple(rules or ()),
        workers=workers or default_workers(),
        timeout=timeout,
        force=force,
        review=ReviewOptions() if review else None,
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
    password: PasswordOption = None,
    engine: EngineOption = "pdfium",
    timeout: TimeoutOption = 120,
    max_memory: MaxMemoryOption = DEFAULT_MEMORY,
    ocr: OcrOption = "auto",
    ocr_lang: OcrLangOption = "eng",
) -> None:
    """Print the document text that provenance offsets (start, end) point into.

    Example: jwpextract text corpus/aewa-ramsar-jwp-2019.pdf | less
    """
    from .errors import SourceError
    from .isolated import document_text
    from .limits import Limits
    from .sources import ReadOptions

    options = ReadOptions(password=password, engine=engine, ocr=ocr, ocr_lang=ocr_lang)
    try:
        text = document_text(source, options, Limits(timeout, max_memory), load_rules_or_exit(None))
    except SourceError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    emit(text)


@app.command()
def review(
    inputs: Annotated[list[str], typer.Argument(help="A source (.txt, .pdf), or an extracted .json and its source.")],
    output: Annotated[
        str | None,
        typer.Option(
            "-o", "--output", help="HTML file to write, or -.  [default: <source name>.review.html]", show_default=False
        ),
    ] = None,
    dpi: Annotated[int, typer.Option(min=36, max=300, help="Resolution of the page images.")] = 96,
    quality: Annotated[int, typer.Option(min=10, max=95, help="JPEG quality of the page images.")] = 65,
    rules: RulesOption = None,
    password: PasswordOption = None,
    engine: EngineOption = "pdfium",
    ocr: OcrOption = "auto",
    ocr_lang: OcrLangOption = "eng",
) -> None:
    """Write the review page of a source: one self-contained HTML file with every page and, over
    it, the boxes of every element found (plans, sections, activities, items, cells, decisions,
    paragraphs, reference mentions, footnotes, tables, furniture), the document's tree, each
    element's JSON and the warnings. A text source shows its text with the elements highlighted.

    Examples:

      jwpextract review corpus/UNEP-CMS-StC38-Doc4.pdf -o review.html

      jwpextract review output/doc.pdf.json doc.pdf --dpi 120
    """
    from .errors import SourceError
    from .outputs.review import ReviewOptions, load_inputs, review_html, review_path
    from .sources import ReadOptions

    extracted = [path for path in inputs if path.lower().endswith(".json")]
    sources = [path for path in inputs if not path.lower().endswith(".json")]
    if len(sources) != 1 or len(extracted) > 1:
        raise fail("review takes a source, or an extracted .json and its source", EXIT_USAGE)
    loaded = load_rules_or_exit(rules)
    try:
        options = ReadOptions(password, engine, ocr=ocr, ocr_lang=ocr_lang)
        doc, layout, data = load_inputs(sources[0], next(iter(extracted), None), loaded, options)
        page = review_html(doc, layout, data, ReviewOptions(dpi, quality), password)
    except SourceError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    name = "stdin" if sources[0] == "-" else Path(sources[0]).name
    emit(page, output or str(review_path(Path(name + ".json"))))


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
    """Check that JSON files are valid canonical documents (schema_version 2). Exit code 1 when any is not.

    Example: jwpextract validate output/*.json
    """
    from .errors import SourceError
    from .loading import read_document

    bad = 0
    for path in files:
        try:
            read_document(str(path))
        except SourceError as exc:
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
    output: OutputOption = "-",
) -> None:
    """Export the activities of plans as CSV, JSON Lines or Markdown tables.

    CSV columns: source, number, section, theme, text, timeframe_start, timeframe_end, actors,
    references (lists joined by "; "). Nothing is written when an input is not a valid plan: each
    is named on stderr and the exit code is 1.

    Examples:

      jwpextract export output/*.json --format csv -o activities.csv

      jwpextract export output/plan.pdf.json --format md
    """
    from .export import export, load_documents

    loaded, errors = load_documents(plans)
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
    output: OutputOption = "-",
    rules: RulesOption = None,
    password: PasswordOption = None,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan", help="Id of the plan to compare when a version holds several ('plan:2', either version's id)."
        ),
    ] = None,
    timeout: TimeoutOption = 120,
    max_memory: MaxMemoryOption = DEFAULT_MEMORY,
) -> None:
    """Compare two versions of a plan: activities aligned (renumbered, moved, merged, split, added,
    removed) with their changes (text, items, timeframe, actors, references), and plan-level changes
    (period, title, section titles). The plans of the two versions are paired by shared activity
    numbers and title; the report names plans added or removed and compares the first pair, or the
    one --plan names. Exit code 0 when compared; 1 when a version cannot be read; 2 when --plan
    names no paired plan.

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
        old_doc, new_doc = plans([old, new], ReadOptions(password=password), limits, loaded, rules or [])
    except SourceError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    fmt = fmt or default_format(output, sys.stdout.isatty())
    try:
        compared = diff_plans(old_doc, new_doc, loaded, plan)
    except KeyError:
        raise fail(f"--plan {plan}: no such plan in either version (paired plans only)", EXIT_USAGE) from None
    report = render(compared, old_doc, new_doc, fmt)
    emit(report, output)


@app.command("lineage")
def lineage_command(
    versions: Annotated[
        list[str], typer.Argument(help="Versions, oldest first: sources (.txt, .pdf) or extracted plans (.json).")
    ],
    fmt: Annotated[
        Literal["json", "csv", "md", "html"] | None,
        typer.Option(
            "-f",
            "--format",
            help="json, csv (a row per chain), md or html (a timeline). Default: from the -o file's suffix; "
            "else md on a terminal, json otherwise.",
            show_default=False,
        ),
    ] = None,
    output: OutputOption = "-",
    rules: RulesOption = None,
    password: PasswordOption = None,
    plan: Annotated[
        str | None, typer.Option("--plan", help="Id of the first version's plan to follow ('plan:2'). Default: its first.")
    ] = None,
) -> None:
    """Follow a plan through many versions: each activity as a chain of aligned pairs (renumbered
    2.3 -> 3.1 -> 3.4, merged, split, added in, dropped in), with the kinds of change at each step.
    Consecutive versions are compared as by diff; the plan is followed into each next version by
    pairing. Exit code 0 when compared; 1 when a version cannot be read; 2 with fewer than two
    versions or when --plan names no plan of the first version.

    Examples:

      jwpextract lineage 2009.pdf 2012.pdf corpus/versions/UNEP-CMS-StC44-JWP-2015.pdf -o lineage.html

      jwpextract lineage output/v1.json output/v2.json output/v3.json --format csv
    """
    from .diff import default_format, lineage, load_document, render_lineage
    from .errors import SourceError
    from .sources import ReadOptions

    if len(versions) < 2:
        raise fail("lineage needs two versions or more, oldest first", EXIT_USAGE)
    loaded = load_rules_or_exit(rules)
    try:
        documents = [load_document(path, loaded, ReadOptions(password=password)) for path in versions]
    except SourceError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    if fmt is None:
        fmt = "csv" if output.lower().endswith(".csv") else default_format(output, sys.stdout.isatty())  # type: ignore[assignment]
    try:
        report = lineage(documents, loaded, plan)
    except KeyError:
        raise fail(f"--plan {plan}: no such plan in the first version", EXIT_USAGE) from None
    emit(render_lineage(report, documents, fmt or "json"), output)


@app.command("index")
def index_command(
    inputs: Annotated[list[str], typer.Argument(help="Canonical JSON files, or folders of them (outputs of extract).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The SQLite database to create or update.")],
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Report failures only, no summary.")] = False,
) -> None:
    """Index extracted documents into one SQLite database (tables in docs/archive-schema.md).

    Incremental: a document whose file is unchanged since it was indexed is not read again, a
    changed one is indexed again, and documents whose file is gone are removed. Each document is
    indexed in one transaction, so an interrupted run leaves a consistent database. Exit code 0:
    all indexed; 1: a file could not be read (each named on stderr; the others are indexed) or
    the database cannot be written; 130: interrupted.

    Examples:

      jwpextract index output/ -o archive.sqlite

      sqlite3 archive.sqlite "SELECT symbol, count(*) FROM citations WHERE reference = 'cbd/decision/10/20' GROUP BY 1"
    """
    import time

    from .archive import ArchiveError, index_files

    started = time.monotonic()
    try:
        report = index_files(inputs, output)
    except ArchiveError as exc:
        raise fail(str(exc), EXIT_FAILED) from None
    except KeyboardInterrupt:
        raise fail("interrupted; documents indexed so far are kept, a rerun resumes", EXIT_INTERRUPTED) from None
    for error in report.failed:
        typer.echo(f"jwpextract: {error}", err=True)
    if not quiet:
        typer.echo(
            f"jwpextract: {report.indexed} indexed, {report.unchanged} unchanged, {report.removed} removed, "
            f"{len(report.failed)} failed in {time.monotonic() - started:.1f} s",
            err=True,
        )
    if report.failed:
        raise typer.Exit(EXIT_FAILED)


def main() -> None:
    app()
