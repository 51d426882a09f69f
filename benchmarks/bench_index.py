"""Speed, size and memory of ``jwpextract index`` on 10,000 generated plans (``make bench-index``).

Writes 10,000 canonical documents under ``benchmarks/build/plans/`` (folders of 1,000; a seeded
generator: a cover note, one plan of 12 to 36 activities in 3 to 6 sections with items,
timeframes, actors and references with their mentions, a decision in one document of five,
footnotes, furniture, warnings; each plan the joint work of two of ten conventions), then in
fresh processes under GNU time indexes the first 1,000 and all 10,000 into new databases and
re-indexes the 10,000 unchanged. Prints for each run documents per second of wall time and of CPU
time (user + system: what an idle machine would give), peak RSS and database size; the time of
each README query on the 10,000 (best of 5, wall and CPU); and each target with ``met`` or
``MISSED``. Exit code 0 even when a target is missed.

usage: python benchmarks/bench_index.py [--documents N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUILD = Path(__file__).resolve().parent / "build"
PLANS = BUILD / "plans"
README = ROOT / "README.md"
JWPEXTRACT = str(Path(sys.executable).parent / "jwpextract")
TIME = "/usr/bin/time"
PER_FOLDER = 1000
MB = 1024 * 1024
GENERATOR = 2  # bump when the generated documents change, so that old ones are written again

WORDS = tuple(
    " ".join(
        (
            "the secretariats will cooperate on monitoring of migratory species and their habitats through joint",
            "guidance capacity building workshops national reports wetlands flyways invasive",
            "species climate change ecosystem services restoration indicators data sharing outreach campaigns",
            "regional networks site managers scientific councils funding partners synergies implementation review",
        )
    ).split()
)
# Each plan is joint work of two of these conventions: their secretariats carry out its activities.
CONVENTIONS = ("CMS", "CBD", "Ramsar", "AEWA", "CITES", "UNCCD", "UNFCCC", "IPBES", "EUROBATS", "ASCOBANS")
PHRASE_SHARE = 0.02  # of the sentences end with "protected areas": 3.5 % of the passages, as in the corpus
REFERENCES = (
    ("cbd/decision/10/20", "decision", "CBD", 10, "20", "CBD decision X/20", "decision X/20"),
    ("cms/resolution/8/11", "resolution", "CMS", 8, "11", "CMS resolution 8.11", "Resolution 8.11"),
    ("cbd/decision/14/30", "decision", "CBD", 14, "30", "CBD decision 14/30", "decision 14/30"),
    ("ramsar/resolution/13/7", "resolution", "Ramsar", 13, "7", "Ramsar resolution XIII.7", "Resolution XIII.7"),
    ("aichi/target/11", "target", None, None, "11", "Aichi Biodiversity Target 11", "Aichi Target 11"),
)


class Text:
    """A document text under construction: each element's provenance points into it."""

    def __init__(self) -> None:
        self.length = 0
        self.line = 0

    def add(self, text: str, page: int) -> dict[str, Any]:
        start = self.length
        self.length += len(text) + 2
        self.line += 2
        return {
            "pages": [page],
            "lines": [self.line - 2, self.line - 2],
            "start": start,
            "end": start + len(text),
            "boxes": [],
            "source_text": text,
        }


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    if rng.random() < PHRASE_SHARE:
        words[rng.randrange(len(words)) :] = ["protected", "areas"]
    return " ".join(words).capitalize() + "."


def _activity(
    rng: random.Random, text: Text, number: str, section: str, parties: list[str], refs: list[Any]
) -> dict[str, Any]:
    page = 2 + int(section) // 2
    lead = _sentence(rng, 15, 45)
    items = [
        {"label": "abc"[k], "text": _sentence(rng, 5, 15), "actors": [], "provenance": None}
        for k in range(rng.choice((0, 0, 2, 3)))
    ]
    start = rng.randint(1995, 2026)
    end = start + rng.choice((0, 1, 2, 2, 3, 5))
    actors = sorted(f"{party} Secretariat" for party in rng.sample(parties, rng.randint(1, 2)))
    provenance = text.add(f"{number} {lead}", page)
    cited = []
    if rng.random() < 0.2:
        ref = rng.randrange(len(REFERENCES))
        cited.append(REFERENCES[ref][0])
        where = provenance["start"] + len(number) + 1
        refs[ref].append(
            {
                "text": REFERENCES[ref][6],
                "activity": f"activity:{number}",
                "plan": "plan:1",
                "start": where,
                "end": where + len(REFERENCES[ref][6]),
                "page": page,
            }
        )
    return {
        "id": f"activity:{number}",
        "number": number,
        "section": section,
        "theme": None,
        "text": lead,
        "items": items,
        "full_text": " ".join([lead, *(i["text"] for i in items)]),
        "timeframe": {"text": f"{start}-{end}", "start": start, "end": end, "basis": "printed"},
        "lead": ", ".join(actors),
        "actors": actors,
        "references": cited,
        "provenance": provenance,
    }


def _decision(rng: random.Random, text: Text, n: int) -> dict[str, Any]:
    number = f"{rng.randint(10, 15)}/{n}"
    return {
        "id": f"decision:{number}",
        "number": number,
        "kind": "decision",
        "status": "adopted",
        "title": _sentence(rng, 4, 10),
        "annex": None,
        "preamble": [
            {"text": _sentence(rng, 10, 30), "references": [], "provenance": text.add("Recalling", 1)} for _ in range(3)
        ],
        "paragraphs": [
            {
                "number": str(k),
                "heading": None,
                "text": _sentence(rng, 10, 40),
                "items": [],
                "references": [],
                "provenance": text.add(str(k), 1),
            }
            for k in range(1, rng.randint(3, 12))
        ],
        "annexes": [],
        "adoption": None,
        "provenance": text.add(number, 1),
    }


def generate(n: int) -> dict[str, Any]:
    """Generated plan number ``n`` as a canonical document (dict)."""
    rng = random.Random(n)
    text = Text()
    parties = ["CMS", "CBD"] if n == 17 else rng.sample(CONVENTIONS, 2)
    symbol = "UNEP/CMS/StC44/Doc.17" if n == 17 else f"UNEP/{parties[0]}/StC{n % 60}/Doc.{n}"
    paragraphs = [
        {
            "number": str(k),
            "heading": None,
            "text": _sentence(rng, 20, 60),
            "items": [],
            "references": [],
            "provenance": text.add(str(k), 1),
        }
        for k in range(1, rng.randint(4, 12))
    ]
    refs: list[list[dict[str, Any]]] = [[] for _ in REFERENCES]
    sections, activities = [], []
    for s in range(1, rng.randint(3, 6) + 1):
        sections.append({"number": str(s), "title": _sentence(rng, 2, 6), "provenance": None})
        for a in range(1, rng.randint(4, 6) + 1):
            activities.append(_activity(rng, text, f"{s}.{a}", str(s), parties, refs))
    period = {
        "start": min(a["timeframe"]["start"] for a in activities),
        "end": max(a["timeframe"]["end"] for a in activities),
    }
    references = [
        {
            "id": r[0],
            "kind": r[1],
            "convention": r[2],
            "body": None,
            "session": r[3],
            "number": r[4],
            "status": None,
            "revision": None,
            "label": r[5],
            "mentions": [dict(m, decision=None, preamble=None, paragraph=None, footnote=None, intro=None) for m in ms],
        }
        for r, ms in zip(REFERENCES, refs, strict=True)
        if ms
    ]
    digest = hashlib.sha256(f"{GENERATOR}:{n}".encode()).hexdigest()
    return {
        "schema_version": "2",
        "extractor": "bench",
        "source": {
            "path": f"generated/{n:05d}.pdf",
            "sha256": digest,
            "format": "pdf",
            "pages": 6,
            "text_sha256": digest,
            "encoding": None,
            "engine": "pdfium",
        },
        "document": {
            "kind": "note",
            "symbol": symbol,
            "date": f"{2000 + n % 25}-05-01",
            "convention": parties[0],
            "meeting": None,
            "distribution": "General",
            "original_language": "English",
            "title": _sentence(rng, 4, 9),
        },
        "paragraphs": paragraphs,
        "decisions": [_decision(rng, text, k) for k in range(1, 3)] if n % 5 == 0 else [],
        "plans": [
            {
                "id": "plan:1",
                "title": "Joint work plan " + _sentence(rng, 3, 6),
                "period": period,
                "parties": parties,
                "where": "Annex",
                "intro": [],
                "sections": sections,
                "activities": activities,
            }
        ],
        "tables": [],
        "annexes": [{"label": "Annex", "title": "Joint work plan", "decision": None, "pages": [2, 3, 4, 5]}],
        "references": references,
        "entities": [],
        "links": [],
        "footnotes": [{"number": "1", "text": _sentence(rng, 8, 20), "page": 1, "references": [], "provenance": None}],
        "furniture": [{"kind": "page-number", "text": str(p), "page": p} for p in range(1, 7)],
        "warnings": []
        if n % 3
        else [{"code": "plan-period-from-timeframes", "message": "period read from timeframes", "where": "plan:1"}],
    }


def write_plans(count: int) -> None:
    """The generated plans, written unless already there (``.generator`` says which generator wrote them)."""
    stamp = PLANS / ".generator"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == f"{GENERATOR}:{count}":
        return
    for n in range(count):
        folder = PLANS / f"{n // PER_FOLDER:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:05d}.json").write_text(json.dumps(generate(n), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    stamp.write_text(f"{GENERATOR}:{count}", encoding="utf-8")


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float
    rss_mb: float


def timed(command: Sequence[str]) -> Run:
    """Wall and CPU seconds and peak RSS of ``command`` in a fresh process; a failure stops the bench."""
    with tempfile.NamedTemporaryFile() as figures:
        started = time.perf_counter()
        run = subprocess.run(
            [TIME, "-f", "%U %S %M", "-o", figures.name, *command], capture_output=True, text=True, check=False
        )
        seconds = time.perf_counter() - started
        if run.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {run.stderr.strip()[-500:]}")
        user, system, peak_kb = Path(figures.name).read_text(encoding="utf-8").split()[-3:]
        return Run(seconds, float(user) + float(system), int(peak_kb) / 1024)


def readme_queries() -> dict[str, str]:
    """The README's SQL queries by their comment line (as ``tests/test_index.py`` reads them)."""
    blocks = re.findall(r"```sql\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {m.group(1): m.group(2).strip() for b in blocks for m in re.finditer(r"-- ([^\n]+)\n(.*?;)", b, re.DOTALL)}


def query_times(database: Path) -> dict[str, tuple[float, float, int]]:
    """Each README query: the best of 5 wall and CPU times in ms (all rows fetched), and its rows."""
    db = sqlite3.connect(database)
    results = {}
    for name, sql in readme_queries().items():
        wall = cpu = float("inf")
        rows = 0
        for _ in range(5):
            started, cpu_started = time.perf_counter(), time.process_time()
            rows = len(db.execute(sql).fetchall())
            wall = min(wall, 1000 * (time.perf_counter() - started))
            cpu = min(cpu, 1000 * (time.process_time() - cpu_started))
        results[name] = (wall, cpu, rows)
    db.close()
    return results


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000, help="generated plans (default 10,000)")
    count: int = parser.parse_args(argv).documents
    started = time.perf_counter()
    write_plans(count)
    size = sum(p.stat().st_size for p in PLANS.rglob("*.json"))
    print(
        f"inputs: {count} generated plans in {PLANS.relative_to(ROOT)}/ "
        f"({size / MB:.0f} MB of JSON, {time.perf_counter() - started:.0f} s)"
    )
    print(f"cores: {os.cpu_count()}; load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    runs: dict[str, Run] = {}
    small = min(count, PER_FOLDER)
    for name, inputs, documents, database in (
        (f"index {small} plans", PLANS / "00", small, BUILD / "archive-small.sqlite"),
        (f"index {count} plans", PLANS, count, BUILD / "archive.sqlite"),
        (f"re-index {count} unchanged", PLANS, count, None),
    ):
        if database is not None:
            database.unlink(missing_ok=True)
        target = database or BUILD / "archive.sqlite"
        runs[name] = run = timed([JWPEXTRACT, "index", str(inputs), "-o", str(target), "--quiet"])
        print(
            f"{name:<28} {run.seconds:7.1f} s {documents / run.seconds:6.0f} docs/s   CPU {run.cpu:7.1f} s "
            f"{documents / run.cpu:6.0f} docs/s   {run.rss_mb:6.1f} MB peak RSS   {target.stat().st_size / MB:6.1f} MB"
        )
    print()
    times = query_times(BUILD / "archive.sqlite")
    for name, (wall, cpu, rows) in times.items():
        print(f"query: {name:<62} {wall:7.2f} ms (CPU {cpu:6.2f} ms) {rows:6d} rows")
    print()
    big, first = runs[f"index {count} plans"], runs[f"index {small} plans"]
    rate, cpu_rate = count / big.seconds, count / big.cpu
    print(f"{'index >= 200 documents/s':<58} {verdict(rate >= 200):<7} {rate:.0f} docs/s (CPU time: {cpu_rate:.0f})")
    slowest, slowest_cpu = max(t[0] for t in times.values()), max(t[1] for t in times.values())
    print(f"{'every README query < 50 ms':<58} {verdict(slowest < 50):<7} slowest {slowest:.1f} ms (CPU {slowest_cpu:.1f})")
    flat = big.rss_mb <= 1.2 * first.rss_mb
    print(
        f"{'memory flat (peak RSS, 10x the documents, within 20 %)':<58} {verdict(flat):<7} "
        f"{first.rss_mb:.1f} MB -> {big.rss_mb:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
