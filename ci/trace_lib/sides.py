"""The side table, ci/trace-sides.tsv: which end of the wire each
requirement binds. One row a requirement sentence:

  section <TAB> key <TAB> side <TAB> reviewed <TAB> note

key: the sentence's first 60 characters, normalised (two sentences of a
section that share them share the row); side: target, initiator, both or
neither; reviewed: yes when a person read the sentence and set the side,
no when the side is the heuristic's guess (first_guess)."""
import re
from dataclasses import dataclass

SIDES = ("target", "initiator", "both", "neither")
HEADER = "# section\tkey\tside\treviewed\tnote\n"
NEITHER_SECTIONS = ("2", "3", "14", "15")  # definitions, UML, IANA
SUBJECTS = [
    ("both", re.compile(r"\b(both|either|initiators? and targets?|targets? and initiators?|"
                        r"initiator or (the )?target|target or (the )?initiator|"
                        r"(iSCSI )?implementations?|endpoints?|sender|receiver|originator|"
                        r"responder)\b", re.I)),
    ("target", re.compile(r"\btargets?\b(?! (name|address|portal|node|transfer tag|alias))", re.I)),
    ("initiator", re.compile(r"\binitiators?\b(?! (name|alias|task tag|port))", re.I)),
]


@dataclass
class Row:
    section: str
    key: str
    side: str
    reviewed: str = "no"
    note: str = ""

    def line(self):
        return "\t".join([self.section, self.key, self.side, self.reviewed, self.note]) + "\n"


def table_rows(lines):
    """(line number, cells) of a tab-separated table's rows; '#' lines and
    blank lines are comments. The side and reasons tables share it."""
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            yield number, line.rstrip("\n").split("\t")


def parse(lines):
    """[Row] from the table's lines."""
    rows = []
    for number, cells in table_rows(lines):
        cells += [""] * (5 - len(cells))
        if cells[2] not in SIDES or cells[3] not in ("yes", "no"):
            raise ValueError(f"line {number}: side must be one of {SIDES}, reviewed yes or no")
        rows.append(Row(*cells[:5]))
    return rows


def load(path):
    with open(path, encoding="utf-8") as f:
        return parse(f)


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        f.writelines(row.line() for row in rows)


def index(rows):
    return {(row.section, row.key): row for row in rows}


def missing_and_stale(rows, requirements):
    """(requirements without a row, rows that match no requirement)."""
    by_key = index(rows)
    wanted = {(r.section, r.key) for r in requirements}
    missing = [r for r in requirements if (r.section, r.key) not in by_key]
    stale = [row for row in rows if (row.section, row.key) not in wanted]
    return missing, stale


LIST_ITEM = re.compile(r"^[a-z]\) ")


def subject_side(text_before_keyword):
    """The side named last before the key word (the MUST's subject); "targets
    and initiators" is both."""
    best, at = None, -1
    for side, words in SUBJECTS:
        for m in words.finditer(text_before_keyword):
            if m.end() > at:
                best, at = side, m.end()
    return best


def first_guess(requirement, previous_side):
    """The heuristic side of a requirement: definitions and IANA bind no end;
    otherwise the subject of its first key word; a list item ("b) MUST ...")
    with no subject takes the side of the sentence before it; any other
    sentence without one binds both."""
    top = requirement.section.split(".")[0]
    if top in NEITHER_SECTIONS or "IANA" in requirement.text:
        return "neither"
    first_keyword = requirement.keywords[0][0] - requirement.start
    side = subject_side(requirement.text[:first_keyword])
    if side is None and LIST_ITEM.match(requirement.text):
        side = previous_side
    return side or "both"


def updated(rows, requirements):
    """The table with a guessed row for each requirement that has none, its
    stale rows dropped, in the RFC's order."""
    by_key = index(rows)
    out, seen, previous = [], set(), None
    for req in requirements:
        key = (req.section, req.key)
        row = by_key.get(key) or Row(req.section, req.key, first_guess(req, previous))
        previous = row.side if row.side != "neither" else previous
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out
