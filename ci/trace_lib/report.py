"""The report's content: each requirement with its side, its citations, its
status, and whether it is out of the target's scope for now."""
from dataclasses import dataclass

from . import coverage, scope, sides

STATUSES = ("implemented", "tested", "both", "neither")


@dataclass
class Entry:
    requirement: object
    row: object  # the side table's row (sides.Row)
    implemented_by: list
    tested_by: list
    deferred: str  # scope.deferred_reason, or None

    @property
    def status(self):
        return coverage.status_of(bool(self.implemented_by), bool(self.tested_by))

    @property
    def side(self):
        return self.row.side


def entries_of(spec, rows, cites):
    """One Entry a requirement; a requirement without a row gets a guessed,
    unreviewed one (--check reports it missing)."""
    by_key = sides.index(rows)
    covered = coverage.cover(spec.requirements, cites)
    out, previous = [], None
    for req in spec.requirements:
        row = by_key.get((req.section, req.key)) or sides.Row(
            req.section, req.key, sides.first_guess(req, previous))
        previous = row.side
        implemented, tested = covered[id(req)]
        out.append(Entry(req, row, implemented, tested, scope.deferred_reason(req)))
    return out


def tally(entries, level="must"):
    """{side: {status: count}} for one level, with a "total" status."""
    table = {side: dict.fromkeys(STATUSES + ("total",), 0) for side in sides.SIDES}
    for e in entries:
        if e.requirement.level == level:
            table[e.side][e.status] += 1
            table[e.side]["total"] += 1
    return table


def share(part, whole):
    return f"{100 * part / whole:.0f}%" if whole else "-"


def figures(entries, groups=None):
    """The headline: per side (or group of sides), the MUST count and the
    shares implemented and tested."""
    table = tally(entries)
    parts = []
    for name, group in groups or [(side, [side]) for side in sides.SIDES]:
        total = sum(table[side]["total"] for side in group)
        implemented = sum(table[side]["implemented"] + table[side]["both"] for side in group)
        tested = sum(table[side]["tested"] + table[side]["both"] for side in group)
        parts.append((name, total, share(implemented, total), share(tested, total)))
    return parts
