"""Speed and memory of jwpextract against its targets (``make bench``).

Builds its inputs under ``benchmarks/build/`` (a 200-page PDF made of 25 copies of
``corpus/UNEP-CMS-StC38-Doc4.pdf``, its text counterpart, a folder of 40 corpus PDFs, two
100,000-line texts: plans of numbered activities, and one paragraph, and a 20-page scanned PDF of its
pages as noisy page images for OCR), then runs each measurement
in a fresh process and reads its wall time and peak RSS (GNU ``/usr/bin/time``). Single documents
are extracted and read in that process (``--timeout 0 --max-memory 0``: no worker), so that its RSS
is the extraction's; a measurement still running after ``LIMIT`` seconds is stopped and shown so,
and each runs under an address-space ceiling (``CEILING``), so that none can swap the machine.
A "read" row is an engine and the PDF reader alone (``jwpextract text``: the layout model, printed);
an "extract" row is the whole pipeline to the canonical JSON; the "review" row is ``jwpextract review``
of the 200-page PDF (the pipeline, every page rendered, the HTML written), with its size per page.
Prints one row per measurement and one row per target with ``met`` or ``MISSED``. Exit code 0 even
when a target is missed: the figures are the result. The bare pdfplumber baseline closes each page
after use (without it, pdfplumber keeps every page: 800 MB for 200 pages). The RSS of a batch row is
that of the main process, not of its workers.

usage: python benchmarks/bench.py [--repeat N] [--only WORD...]
  --repeat N: the best of N runs of each measurement; --only: the rows whose name holds a WORD
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BUILD = Path(__file__).resolve().parent / "build"
SEED_PDF = CORPUS / "UNEP-CMS-StC38-Doc4.pdf"
SEED_TXT = CORPUS / "UNEP-CMS-StC38-Doc4.txt"
COPIES = 25
BATCH_SIZE = 40
LONG_LINES = 100_000
LIMIT = 900.0  # seconds a measurement may run
CEILING = 4 << 30  # bytes of address space a measurement may take
BIN = Path(sys.executable).parent
JWPEXTRACT = str(BIN / "jwpextract")
MB = 1024 * 1024
TIME = "/usr/bin/time"  # GNU time: the peak RSS of the measured process itself

BARE_PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_words(extra_attrs=["fontname", "size"])
        page.close()
"""

RAW_PDFIUM = """
import sys, pypdfium2
pdf = pypdfium2.PdfDocument(sys.argv[1])
for page in pdf:
    text = page.get_textpage()
    text.get_text_range()
    for i in range(text.count_chars()):
        text.get_charbox(i)
    text.close()
    page.close()
pdf.close()
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_rss: int
    ok: bool
    error: str = ""

    @property
    def mb(self) -> float:
        return self.peak_rss / MB


def _ceiling() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CEILING, CEILING))


def measure(command: Sequence[str]) -> Run:
    """Run ``command`` in a fresh process under GNU time: wall time, peak RSS of that process, success
    (stopped after ``LIMIT`` seconds)."""
    with tempfile.NamedTemporaryFile() as figures, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [TIME, "-f", "%M", "-o", figures.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
            start_new_session=True,
            preexec_fn=_ceiling,
        )
        try:
            process.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return Run(LIMIT, 0, False, f"stopped after {LIMIT:g} s")
        seconds = time.perf_counter() - started
        peak_kb = int(Path(figures.name).read_text(encoding="utf-8").split()[-1])
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-1:]
    return Run(seconds, peak_kb * 1024, process.returncode == 0, tail[0] if tail else "")


def best(command: Sequence[str], repeat: int) -> Run:
    runs = [measure(command) for _ in range(repeat)]
    return min(runs, key=lambda run: (not run.ok, run.seconds))


def build_inputs() -> tuple[Path, Path, Path, int]:
    """The 200-page PDF, the text of the same 25 copies (pages at form feeds), the batch folder."""
    import pypdfium2

    BUILD.mkdir(exist_ok=True)
    big_pdf, big_txt, batch = BUILD / "big.pdf", BUILD / "big.txt", BUILD / "batch"
    seed = pypdfium2.PdfDocument(SEED_PDF)
    if not big_pdf.exists():
        merged = pypdfium2.PdfDocument.new()
        for _ in range(COPIES):
            merged.import_pages(seed)
        merged.save(big_pdf)
    pages = len(pypdfium2.PdfDocument(big_pdf))
    big_txt.write_text("\f".join([SEED_TXT.read_text(encoding="utf-8")] * COPIES), encoding="utf-8")
    sources = sorted(CORPUS.rglob("*.pdf"))
    shutil.rmtree(batch, ignore_errors=True)
    batch.mkdir()
    for n in range(BATCH_SIZE):
        source = sources[n % len(sources)]
        shutil.copyfile(source, batch / f"{n:02d}-{source.name}")
    return big_pdf, big_txt, batch, pages


def long_texts() -> tuple[Path, Path]:
    """``LONG_LINES`` lines of plans (numbered activities, a new plan every 20 sections) and of one paragraph."""
    sys.path.insert(0, str(ROOT))
    from tests.fixtures.plan_text import paragraph_text, plan_text

    plans, paragraph = BUILD / "long-plans.txt", BUILD / "long-paragraph.txt"
    plans.write_text(plan_text(LONG_LINES), encoding="utf-8")
    paragraph.write_text(paragraph_text(LONG_LINES), encoding="utf-8")
    return plans, paragraph


IN_PROCESS = ("--timeout", "0", "--max-memory", "0")


def extract(source: Path, *options: str) -> list[str]:
    return [JWPEXTRACT, "extract", str(source), "-o", str(BUILD / "out" / f"{source.name}.json"), *IN_PROCESS, *options]


def read(source: Path, engine: str) -> list[str]:
    """The engine and the PDF reader alone: the layout model, printed as the document text."""
    return [JWPEXTRACT, "text", str(source), "--engine", engine, *IN_PROCESS]


def batch_run(folder: Path, workers: int, *options: str) -> list[str]:
    out = BUILD / f"out-workers-{workers}"
    return [JWPEXTRACT, "extract", str(folder), "-o", str(out), "--force", "--quiet", "--workers", str(workers), *options]


def row(name: str, run: Run, pages: int | None = None) -> None:
    per_page = f"{1000 * run.seconds / pages:8.1f} ms/page" if pages else " " * 16
    status = "" if run.ok else f"  FAILED: {run.error}"
    print(f"{name:<40} {run.seconds:8.2f} s {per_page} {run.mb:8.1f} MB peak RSS{status}")


def target(name: str, value: float | None, limit: float, unit: str) -> None:
    """A target row: ``value`` (``None``: not measured) against ``limit`` (at most, or for "x>=" at least)."""
    at_least = unit == "x>="
    if value is None:
        verdict, detail = "n/a", "not measured (a run failed or was left out)"
    else:
        verdict = "met" if (value >= limit if at_least else value <= limit) else "MISSED"
        detail = f"{value:.2f}x" if unit.startswith("x") else f"{value:.3g} {unit}"
    print(f"{name:<58} {verdict:<7} {detail}")


SCANNED_PAGES = 20
SCANNED_ROW = f"read a {SCANNED_PAGES}-page scanned PDF (OCR, text command)"
RENDER_SCANNED = """
import sys
from pathlib import Path
from tests.fixtures.scans import image_only
image_only(Path(sys.argv[1]), Path(sys.argv[2]), noisy=True, pages=int(sys.argv[3]))
"""


def ocr_benchmark(repeat: int) -> None:
    """OCR seconds per page and peak RSS on a scanned PDF: the seed PDF's pages, over again, as noisy,
    askew page images at 200 dpi (``tests/fixtures/scans.py``), read by ``jwpextract text``."""
    scanned = BUILD / f"scanned-{SCANNED_PAGES}.pdf"
    if not scanned.exists():
        render = [sys.executable, "-c", RENDER_SCANNED, str(SEED_PDF), str(scanned), str(SCANNED_PAGES)]
        subprocess.run(render, cwd=ROOT, check=True)
    run = best([JWPEXTRACT, "text", str(scanned), *IN_PROCESS], repeat)
    row(SCANNED_ROW, run, SCANNED_PAGES)
    print(f"  (OCR: {run.seconds / SCANNED_PAGES:.2f} s per page, {run.mb:.0f} MB peak RSS of jwpextract; each Tesseract")
    print(f"   process runs apart, on one thread, {os.cpu_count()} at a time at most)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best counts")
    parser.add_argument("--only", nargs="+", default=[], metavar="WORD", help="measure only rows naming a WORD")
    args = parser.parse_args(argv)
    repeat: int = args.repeat
    big_pdf, big_txt, batch, pages = build_inputs()
    long_plans, long_paragraph = long_texts()
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"inputs: {big_pdf.name} ({pages} pages), {big_txt.name}, {batch.name}/ ({BATCH_SIZE} PDFs),", end=" ")
    print(f"{long_plans.name}, {long_paragraph.name} ({LONG_LINES} lines)")
    print(f"cores: {os.cpu_count()}; load average before: {load} (figures need an otherwise idle machine)")
    python = sys.executable

    measurements: dict[str, Callable[[], Run]] = {
        "bare pdfplumber extract_words": lambda: best([python, "-c", BARE_PDFPLUMBER, str(big_pdf)], repeat),
        "read --engine pdfplumber (text command)": lambda: best(read(big_pdf, "pdfplumber"), repeat),
        "extract --engine pdfplumber": lambda: best(extract(big_pdf, "--engine", "pdfplumber"), repeat),
        "raw pypdfium2 text + char boxes": lambda: best([python, "-c", RAW_PDFIUM, str(big_pdf)], repeat),
        "read --engine pdfium (text command)": lambda: best(read(big_pdf, "pdfium"), repeat),
        "extract --engine pdfium": lambda: best(extract(big_pdf, "--engine", "pdfium"), repeat),
        "extract (text source)": lambda: best(extract(big_txt), repeat),
        f"extract {LONG_LINES // 1000}k-line text, one paragraph": lambda: best(extract(long_paragraph), repeat),
        f"extract {LONG_LINES // 1000}k-line text of plans": lambda: best(extract(long_plans), repeat),
        "jwpextract --help": lambda: best([JWPEXTRACT, "--help"], max(repeat, 5)),
        "batch --workers 1": lambda: best(batch_run(batch, 1), repeat),
        "batch --workers 2": lambda: best(batch_run(batch, 2), repeat),
        "batch --workers 1 --engine pdfplumber": lambda: best(batch_run(batch, 1, "--engine", "pdfplumber"), repeat),
        "batch --workers 2 --engine pdfplumber": lambda: best(batch_run(batch, 2, "--engine", "pdfplumber"), repeat),
    }
    runs: dict[str, Run] = {}
    for name, run in measurements.items():
        if args.only and not any(word in name for word in args.only):
            continue
        runs[name] = run()
        row(name, runs[name], pages if not any(word in name for word in ("batch", "help", "-line")) else None)
    if not args.only or any(word in SCANNED_ROW for word in args.only):
        ocr_benchmark(repeat)

    def seconds(name: str) -> float | None:
        return runs[name].seconds if name in runs and runs[name].ok else None

    def ratio(a: str, b: str) -> float | None:
        numerator, denominator = seconds(a), seconds(b)
        return None if numerator is None or denominator is None else numerator / denominator

    bare, raw = "bare pdfplumber extract_words", "raw pypdfium2 text + char boxes"
    print()
    target("pdfplumber engine: extract <= 1.25x bare extract_words", ratio("extract --engine pdfplumber", bare), 1.25, "x")
    print(f"  (reading alone, text command: {ratio_text(ratio('read --engine pdfplumber (text command)', bare))})")
    for engine in ("pdfplumber", "pdfium"):
        big = runs.get(f"extract --engine {engine}")
        target(f"peak RSS <= 200 MB, {pages}-page PDF, {engine}", big.mb if big and big.ok else None, 200, "MB")
    target("jwpextract --help < 0.3 s", seconds("jwpextract --help"), 0.3, "s")
    target("--workers 2 >= 1.7x --workers 1 (40 PDFs)", ratio("batch --workers 1", "batch --workers 2"), 1.7, "x>=")
    plumber_batch = ratio("batch --workers 1 --engine pdfplumber", "batch --workers 2 --engine pdfplumber")
    print(f"  (with --engine pdfplumber, heavier per PDF: {ratio_text(plumber_batch)})")
    target("pdfium engine: read <= 3x raw pypdfium2", ratio("read --engine pdfium (text command)", raw), 3, "x")
    print(f"  (whole extract: {ratio_text(ratio('extract --engine pdfium', raw))})")
    if not args.only or any(word in REVIEW_ROW for word in args.only):
        review_figures(big_pdf, pages, repeat)
    if not args.only or any(word in DENSE_ROW for word in args.only):
        dense_figures(repeat)
    return 0


REVIEW_ROW = "review SOURCE (read, extract, render, write)"


def review_figures(big_pdf: Path, pages: int, repeat: int) -> None:
    """The review page of the 200-page PDF at the default resolution and quality: the whole command's
    time per page (read, extract, render every page, write) and the file's size per page."""
    page = BUILD / "review" / f"{big_pdf.name}.review.html"
    page.parent.mkdir(exist_ok=True)
    run = best([JWPEXTRACT, "review", str(big_pdf), "-o", str(page)], repeat)
    print()
    row(REVIEW_ROW, run, pages)
    size = page.stat().st_size / 1024 / pages if run.ok else None
    print(f"{'review page size':<40} {size or 0:8.1f} KB/page")
    target("review: build <= 0.25 s a page", run.seconds / pages if run.ok else None, 0.25, "s")
    target("review: file <= 200 KB a page (default quality)", size, 200, "KB")


DENSE_ROW = "dense real pages (512)"
REAL = ROOT.parent / "shared" / "real"
DENSE_SEEDS = (REAL / "A-RES-78-272.pdf", REAL / "ipbes-functions-2012.pdf")
DENSE_PAGES = 512


@dataclass(frozen=True)
class CpuRun:
    seconds: float  # wall
    cpu: float  # user + sys of the process
    peak_rss: int
    ok: bool


def measure_cpu(command: Sequence[str]) -> CpuRun:
    """Run ``command`` in a fresh process: wall time, its own CPU time (user + sys) and peak RSS. CPU
    time holds on a busy machine, where wall time does not."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    return CpuRun(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status) == 0)


def cpu_order(run: CpuRun) -> tuple[bool, float]:
    return not run.ok, run.cpu


def dense_input(seed: Path) -> Path:
    """``seed``'s pages repeated to ``DENSE_PAGES`` pages, imported at once: the copies share their
    fonts and images, as the pages of one long document do."""
    import pypdfium2

    target = BUILD / f"dense-{seed.stem}.pdf"
    if not target.exists():
        source = pypdfium2.PdfDocument(seed)
        merged = pypdfium2.PdfDocument.new()
        merged.import_pages(source, [k % len(source) for k in range(DENSE_PAGES)])
        merged.save(target)
    return target


def dense_figures(repeat: int) -> None:
    """Real, dense pages (``../shared/real/``) repeated to 512: ms a page (wall and CPU) of raw pypdfium2
    (text and every character box), ``jwpextract text`` and ``jwpextract extract``, their ratios by CPU
    time and by wall time, peak RSS, and the targets (by CPU time): reading at most 2.5x raw pypdfium2,
    the whole extract at most 3.5x, peak RSS at most 300 MB."""
    print()
    for seed in DENSE_SEEDS:
        if not seed.exists():
            print(f"{DENSE_ROW}: {seed} missing, left out")
            continue
        pdf = dense_input(seed)
        commands = {
            "raw pypdfium2": [sys.executable, "-c", RAW_PDFIUM, str(pdf)],
            "jwpextract text": read(pdf, "pdfium"),
            "jwpextract extract": extract(pdf),
        }
        runs = {name: min((measure_cpu(c) for _ in range(repeat)), key=cpu_order) for name, c in commands.items()}
        for name, run in runs.items():
            status = "" if run.ok else "  FAILED"
            print(
                f"{seed.stem[:24] + ' ' + name:<46} {1000 * run.seconds / DENSE_PAGES:6.1f} ms/page wall "
                f"{1000 * run.cpu / DENSE_PAGES:6.1f} ms/page CPU {run.peak_rss / MB:7.1f} MB peak RSS{status}"
            )
        raw = runs["raw pypdfium2"]
        for name, limit in (("jwpextract text", 2.5), ("jwpextract extract", 3.5)):
            run = runs[name]
            by_cpu = run.cpu / raw.cpu if run.ok and raw.ok else None
            target(f"{seed.stem[:20]}: {name.split()[1]} <= {limit}x raw pypdfium2 (CPU)", by_cpu, limit, "x")
            print(f"  (by wall time: {ratio_text(run.seconds / raw.seconds if run.ok and raw.ok else None)})")
        peak = max(runs["jwpextract text"].peak_rss, runs["jwpextract extract"].peak_rss) / MB
        target(f"{seed.stem[:20]}: peak RSS <= 300 MB, {DENSE_PAGES} pages", peak, 300, "MB")


def ratio_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


if __name__ == "__main__":
    sys.exit(main())
