"""The reasons table, ci/trace-reasons.tsv: why a requirement has no
implementation citation or no test citation. One row a gap:

  section <TAB> key <TAB> missing <TAB> category <TAB> reason

key: the side table's key (the sentence's first 60 characters, normalised);
missing: `implementation` or `test` (a sentence lacking both has two rows);
category: one of CATEGORIES; reason: free text, one line, saying what is
not there and why (a rule, a file, an issue number).

A row whose gap is closed (the requirement now has that citation) or that
matches no requirement is stale: `ci/trace --check` fails on it, so the
table never explains a gap that is not there.

The ERL 1/2 and MC/S requirements (scope.deferred_reason) get their
`deferred` reason from ci/trace itself; a row here overrides it."""
from dataclasses import dataclass

from .sides import table_rows

MISSING = ("implementation", "test")
CATEGORIES = {
    "deferred": "out of the target's scope for now: ERL 1/2, MC/S, FastAbort and the like (issue 14)",
    "not-done": "in scope but the target (or the suite) does not do it yet",
    "not-observable": "cannot be seen on the wire or from a test (an end's inner state, a timing)",
    "not-applicable": "binds something Touchstone is not (a gateway, iSER, a naming authority, the OS)",
    "cited-elsewhere": "the rule is done and cited under another section's sentence that says the same",
}
HEADER = ("# section\tkey\tmissing\tcategory\treason\n"
          "# missing: implementation or test; category: " + ", ".join(CATEGORIES) + "\n"
          "# (ci/trace_lib/reasons.py says what each means)\n")


@dataclass
class Reason:
    section: str
    key: str
    missing: str
    category: str
    reason: str

    def text(self):
        return f"{self.category}: {self.reason}"


def parse(lines):
    """[Reason] from the table's lines (sides.table_rows: '#' and blank lines are comments)."""
    rows = []
    for number, cells in table_rows(lines):
        if len(cells) != 5 or not cells[4].strip():
            raise ValueError(f"line {number}: want 5 cells, the reason not empty")
        if cells[2] not in MISSING:
            raise ValueError(f"line {number}: missing must be one of {MISSING}")
        if cells[3] not in CATEGORIES:
            raise ValueError(f"line {number}: category must be one of {tuple(CATEGORIES)}")
        rows.append(Reason(*cells))
    return rows


def load(path):
    with open(path, encoding="utf-8") as f:
        return parse(f)


def index(rows):
    """{(section, key, missing): Reason}."""
    return {(r.section, r.key, r.missing): r for r in rows}


def stale(rows, entries):
    """[(Reason, why)] for rows that match no requirement or explain a gap
    that is closed."""
    by_key = {(e.requirement.section, e.requirement.key): e for e in entries}
    out = []
    for row in rows:
        entry = by_key.get((row.section, row.key))
        if entry is None:
            out.append((row, "no such requirement"))
        elif row.missing == "implementation" and entry.implemented_by:
            out.append((row, "it is implemented now"))
        elif row.missing == "test" and entry.tested_by:
            out.append((row, "it is tested now"))
    return out
