"""The review page as a reader sees it, in headless Chromium (Debian package ``chromium``).

For chosen activities, decision paragraphs and reference mentions, the overlay rectangles of the
rendered page must lie over the words of that element in the layout model (scaled to the page
image as displayed); a click on a box selects the element in the tree and shows its JSON; a click
in the tree highlights and scrolls to its boxes; keys step through the elements; a legend toggle
hides a kind; the console stays free of errors. Screenshots are kept in ``tests/artifacts/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jwpextract.layout import LayoutDocument, Line, Word
from jwpextract.models import CanonicalDocument
from jwpextract.outputs.review import ReviewOptions, review_html
from jwpextract.pipeline import extract_layout
from jwpextract.rules import Rules
from jwpextract.sources import read_source

from .chromium import CHROMIUM, Browser
from .conftest import CORPUS, ROOT

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="the chromium binary is absent (Debian package: chromium)")

SEED_PDF = CORPUS / "UNEP-CMS-StC38-Doc4.pdf"
REAL_PDF = ROOT.parent / "shared" / "real" / "A-RES-78-272.pdf"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TOLERANCE = 1.5  # CSS pixels

BOXES_OF = """(id => review.elements.find(e => e.id === id).nodes.map(n => {
  const page = n.closest('.page'), r = n.getBoundingClientRect();
  const img = page.querySelector('img').getBoundingClientRect();
  return {page: +page.dataset.page, width: +page.dataset.width, rect: [r.left, r.top, r.right, r.bottom],
          img: [img.left, img.top, img.width], shown: getComputedStyle(n).display !== 'none'};
}))(%s)"""
# a point of the element's first box where a click lands on that box (smaller elements may lie over parts of it)
CLICK_POINT = """(id => {
  const n = review.elements.find(e => e.id === id).nodes[0];
  n.scrollIntoView({block: 'center'});
  const r = n.getBoundingClientRect();
  for (const fy of [0.5, 0.3, 0.7]) for (let fx = 0.05; fx < 1; fx += 0.1) {
    const x = r.left + fx * r.width, y = r.top + fy * r.height;
    if (document.elementFromPoint(x, y) === n) return [x, y];
  }
  return null;
})(%s)"""
CENTRE_OF = """(sel => { const n = document.querySelector(sel); n.scrollIntoView({block: 'center'});
  const r = n.getClientRects()[0]; return [r.left + Math.min(r.width / 2, 40), r.top + r.height / 2]; })(%s)"""
SELECTION = """({tree: [...document.querySelectorAll('#tree li[aria-selected="true"]')].map(li => li.dataset.id),
  title: document.getElementById('detail-title').textContent, json: document.getElementById('json').textContent,
  index: review.selected()})"""
IN_VIEW = """(id => { const v = document.getElementById('doc').getBoundingClientRect();
  return review.elements.find(e => e.id === id).nodes.slice(0, 1).every(n => { const r = n.getBoundingClientRect();
  return r.top >= v.top && r.bottom <= v.bottom && n.classList.contains('sel'); }); })(%s)"""


@dataclass
class Reviewed:
    doc: CanonicalDocument
    layout: LayoutDocument
    page: Path


def reviewed(source: Path, rules: Rules, folder: Path) -> Reviewed:
    data = source.read_bytes()
    layout = read_source(str(source), data, None, rules)
    doc = extract_layout(layout, rules)
    page = folder / f"{source.name}.review.html"
    page.write_text(review_html(doc, layout, data, ReviewOptions()), encoding="utf-8")
    return Reviewed(doc, layout, page)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    opened = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def seed(rules: Rules, tmp_path_factory: pytest.TempPathFactory) -> Reviewed:
    return reviewed(SEED_PDF, rules, tmp_path_factory.mktemp("review"))


def js(template: str, value: str) -> str:
    return template % json.dumps(value)


def scaled(word: Word, box: dict) -> tuple[float, float, float, float]:
    """The word's box in the browser's pixels, on the page image as displayed."""
    left, top, width = box["img"]
    scale = width / box["width"]
    return (left + word.x0 * scale, top + word.top * scale, left + word.x1 * scale, top + word.bottom * scale)


def inside(inner: tuple[float, ...], outer: list[float]) -> bool:
    return all(inner[k] >= outer[k] - TOLERANCE for k in (0, 1)) and all(inner[k] <= outer[k] + TOLERANCE for k in (2, 3))


def hugs(rect: list[float], words: list[tuple[float, ...]]) -> bool:
    """The rectangle is the box around these words (within the tolerance)."""
    around = [min(w[0] for w in words), min(w[1] for w in words), max(w[2] for w in words), max(w[3] for w in words)]
    return all(abs(a - b) <= TOLERANCE for a, b in zip(rect, around, strict=True))


def words_in(lines: list[Line], box: dict) -> list[tuple[Word, tuple[float, ...]]]:
    return [(w, scaled(w, box)) for line in lines if line.page == box["page"] for w in line.words]


def check_lies_over_its_lines(browser: Browser, reviewed: Reviewed, element_id: str, first: int, last: int) -> None:
    """Every word of the element's lines lies in one of its rectangles, and each rectangle is the box
    around the words it holds."""
    boxes = browser.evaluate(js(BOXES_OF, element_id))
    assert boxes and all(b["shown"] for b in boxes), element_id
    lines = [line for line in reviewed.layout.lines()[first : last + 1] if line.furniture in (None, "footnote")]
    for line in lines:
        for word in line.words:
            box = next(b for b in boxes if b["page"] == line.page)
            assert any(inside(scaled(word, box), b["rect"]) for b in boxes if b["page"] == line.page), (element_id, word)
    for box in boxes:
        held = [s for _, s in words_in(lines, box) if inside(s, box["rect"])]
        assert held and hugs(box["rect"], held), (element_id, box)


def check_mention_lies_over_its_words(browser: Browser, reviewed: Reviewed, ref_id: str, k: int) -> None:
    mention = next(r for r in reviewed.doc.references if r.id == ref_id).mentions[k]
    boxes = browser.evaluate(js(BOXES_OF, f"{ref_id}#mention:{k + 1}"))
    assert boxes and {b["page"] for b in boxes} == {mention.page}
    printed = ""
    for box in boxes:
        held = [(w, s) for w, s in words_in(reviewed.layout.lines(), box) if inside(s, box["rect"])]
        assert held and hugs(box["rect"], [s for _, s in held]), (mention, box)
        printed += "".join(w.text for w, _ in held)
    assert printed.strip("(.,;:)") == "".join(mention.text.split()), mention  # superscripts are words of their own


def click_selects(browser: Browser, element_id: str) -> dict:
    point = browser.evaluate(js(CLICK_POINT, element_id))
    assert point, f"no point of {element_id}'s box takes the click"
    browser.click(*point)
    selection = browser.evaluate(SELECTION)
    assert selection["tree"] == [element_id]
    assert selection["title"].endswith(element_id)
    return json.loads(selection["json"])


def test_seed_boxes_lie_over_the_words_and_clicks_select(browser: Browser, seed: Reviewed) -> None:
    browser.open(seed.page.as_uri())
    activities = {a.id: a for a in seed.doc.activities()}
    for activity_id in ("activity:1.1", "activity:2.7", "activity:2.8", "activity:6.4"):
        check_lies_over_its_lines(browser, seed, activity_id, *activities[activity_id].provenance.lines)
        shown = click_selects(browser, activity_id)
        assert shown["id"] == activity_id and shown["text"] == activities[activity_id].text
    for ref_id, k in (("cbd/meeting/cop/11", 0), ("cbd/meeting/cop/11", 1), ("doc/UNEP/CMS/Conf.10.28", 0)):
        check_mention_lies_over_its_words(browser, seed, ref_id, k)
        shown = click_selects(browser, f"{ref_id}#mention:{k + 1}")
        assert shown == next(r for r in seed.doc.references if r.id == ref_id).mentions[k].model_dump(mode="json")
    paragraph = next(p for p in seed.doc.paragraphs if p.number == "2")
    check_lies_over_its_lines(browser, seed, "paragraph:2", *paragraph.provenance.lines)
    assert browser.errors() == []


def test_seed_tree_click_scrolls_to_the_boxes_and_keys_step(browser: Browser, seed: Reviewed) -> None:
    browser.open(seed.page.as_uri())
    reference = '#tree li[data-id="cbd/meeting/cop/11"]'
    browser.click(*browser.evaluate(js(CENTRE_OF, reference + " > .node > .twisty")))
    browser.click(*browser.evaluate(js(CENTRE_OF, reference + ' li[data-id="cbd/meeting/cop/11#mention:2"] > .node')))
    assert browser.evaluate(SELECTION)["tree"] == ["cbd/meeting/cop/11#mention:2"]
    assert browser.evaluate(js(IN_VIEW, "cbd/meeting/cop/11#mention:2")), "the mention's box is not scrolled into view"
    before = browser.evaluate("review.selected()")
    browser.key("n")
    after = browser.evaluate("review.selected()")
    order = browser.evaluate("review.order")
    assert order.index(after) == order.index(before) + 1
    browser.key("p")
    assert browser.evaluate("review.selected()") == before
    assert browser.evaluate(js(IN_VIEW, "cbd/meeting/cop/11#mention:2"))
    assert browser.errors() == []


def test_seed_warnings_are_marked_and_kinds_toggle(browser: Browser, seed: Reviewed) -> None:
    browser.open(seed.page.as_uri())
    warned = browser.evaluate(js(BOXES_OF, "activity:5.1"))
    assert warned
    marks = browser.evaluate("""[...document.querySelectorAll('.box.warn')].map(n => [review.elements[+n.dataset.e].id,
        getComputedStyle(n, '::after').content]).filter(([id, c]) => c !== 'none')""")
    assert marks == [["activity:5.1", '"⚠"']]
    assert browser.evaluate("""document.querySelector('#tree li[data-id="activity:5.1"] > .node .warn-mark') !== null""")
    toggle = '#legend input[data-kind="activity"]'
    shown = "[...document.querySelectorAll('.box.k-activity')].filter(n => getComputedStyle(n).display !== 'none').length"
    total = browser.evaluate("document.querySelectorAll('.box.k-activity').length")
    assert total >= 24 and browser.evaluate(shown) == total
    browser.click(*browser.evaluate(js(CENTRE_OF, toggle)))
    assert browser.evaluate(shown) == 0
    browser.click(*browser.evaluate(js(CENTRE_OF, toggle)))
    assert browser.evaluate(shown) > 0
    click_selects(browser, "activity:2.8")
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "review-seed.png")
    assert (ARTIFACTS / "review-seed.png").stat().st_size > 50_000
    assert browser.errors() == []


@pytest.mark.skipif(not REAL_PDF.is_file(), reason="../shared/real/A-RES-78-272.pdf is absent")
def test_real_resolution_boxes_lie_over_the_words_and_clicks_select(browser: Browser, rules: Rules, tmp_path: Path) -> None:
    real = reviewed(REAL_PDF, rules, tmp_path)
    browser.open(real.page.as_uri())
    decision = real.doc.decisions[0]
    chosen = [
        (f"{decision.id}/preamble:1", decision.preamble[0]),
        (f"{decision.id}/paragraph:1", decision.paragraphs[0]),
        (f"{decision.id}/paragraph:{decision.paragraphs[-1].number}", decision.paragraphs[-1]),
        (f"footnote:{real.doc.footnotes[0].number}", real.doc.footnotes[0]),
    ]
    for element_id, element in chosen:
        assert element.provenance is not None
        check_lies_over_its_lines(browser, real, element_id, *element.provenance.lines)
        shown = click_selects(browser, element_id)
        assert shown["text"] == element.text
    ARTIFACTS.mkdir(exist_ok=True)
    browser.screenshot(ARTIFACTS / "review-A-RES-78-272.png")
    assert browser.errors() == []


def test_text_source_pieces_select_their_element(browser: Browser, rules: Rules, tmp_path: Path) -> None:
    text = reviewed(CORPUS / "UNEP-CMS-StC38-Doc4.txt", rules, tmp_path)
    browser.open(text.page.as_uri())
    activity = next(a for a in text.doc.activities() if a.id == "activity:2.8")
    highlighted = browser.evaluate(
        """[...document.querySelectorAll('#text span[data-s]')].filter(s => s.classList.contains('k-activity')
        && review.elements[s.shown].id === 'activity:2.8').map(s => s.textContent).join('')"""
    )
    # its own lines (not 2.9's, which its start and end offsets enclose), less its mention and its cell
    own = "".join(activity.provenance.source_text.split()).replace("CBDCOP11", "").replace("2012-14", "")
    assert "".join(highlighted.split()) == own and own.startswith("2.8TheSecretariatswillcontinue")
    browser.evaluate(
        "[...document.querySelectorAll('#text span.k-activity')].find(s => s.textContent.includes('bush')).id = 'probe'"
    )
    browser.click(*browser.evaluate(js(CENTRE_OF, "#probe")))
    selection = browser.evaluate(SELECTION)
    assert selection["tree"] == ["activity:2.8"] and json.loads(selection["json"])["text"] == activity.text
    assert browser.evaluate("document.querySelectorAll('#text span.sel').length") >= 3  # its lines and its cell
    assert browser.errors() == []
