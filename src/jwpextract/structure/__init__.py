"""Structure by layout heuristics: cover note, annex, plan title, introduction, activity table.

Input: the document's lines with furniture marked. Output: a :class:`Structure` of joined texts
(see ``textjoin``) that the assembler turns into canonical models. The rules of the game:

- the cover note runs until the first annex heading; its numbered paragraphs follow each other
  (1, 2, 3 ...), with lettered sub-paragraphs and headings above them;
- the plan is the annex whose title names a plan, or the first activity table; its introduction
  runs until the table starts (a header row, or a section row followed by its first activity);
- in the table, section rows, themes (short unnumbered lines ending with a colon), activities
  (numbered inline, alone on a line, or after a label), items ((a), (i), bullets, a trailing
  paragraph), timeframes and leads: in a column of their own (tied by row), on labelled lines, or
  as lone values stacked after a group of activities (given in order to the group's last ones).
"""

from .document import parse_structure
from .parsed import ParsedActivity, ParsedItem, ParsedParagraph, ParsedPlan, ParsedSection, Structure
from .patterns import Patterns

__all__ = [
    "ParsedActivity",
    "ParsedItem",
    "ParsedParagraph",
    "ParsedPlan",
    "ParsedSection",
    "Patterns",
    "Structure",
    "parse_structure",
]
