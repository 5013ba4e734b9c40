"""The report's content: each requirement with its side, its citations, its
status, whether it is out of the target's scope for now, and why a gap is
there (the reasons table)."""
from dataclasses import dataclass

from . import coverage, reasons, scope, sides

STATUSES = ("implemented", "tested", "both", "neither")


@dataclass
class Entry:
    requirement: object
    row: object  # the side table's row (sides.Row)
    implemented_by: list
    tested_by: list
    deferred: str  # scope.deferred_reason, or None
    reasons: dict  # {"implementation"/"test": reasons.Reason} for the gaps that have one

    @property
    def status(self):
        return coverage.status_of(bool(self.implemented_by), bool(self.tested_by))

    @property
    def side(self):
        return self.row.side


def gap_reasons(req, entry_gaps, reason_rows, deferred):
    """{missing: Reason} for each gap of a requirement: the table's row, else
    the deferred reason of an ERL 1/2 or MC/S requirement."""
    out = {}
    for missing in entry_gaps:
        row = reason_rows.get((req.section, req.key, missing))
        if row is None and deferred:
            row = reasons.Reason(req.section, req.key, missing, "deferred", deferred)
        if row is not None:
            out[missing] = row
    return out


def entries_of(spec, rows, cites, reason_rows=()):
    """One Entry a requirement; a requirement without a row gets a guessed,
    unreviewed one (--check reports it missing)."""
    by_key = sides.index(rows)
    by_gap = reasons.index(reason_rows)
    covered = coverage.cover(spec.requirements, cites)
    out, previous = [], None
    for req in spec.requirements:
        row = by_key.get((req.section, req.key)) or sides.Row(
            req.section, req.key, sides.first_guess(req, previous))
        previous = row.side
        implemented, tested = coverage.implemented_and_tested(covered[id(req)], row.side)
        deferred = scope.deferred_reason(req)
        gaps = [m for m, cited in (("implementation", implemented), ("test", tested)) if not cited]
        out.append(Entry(req, row, implemented, tested, deferred,
                         gap_reasons(req, gaps, by_gap, deferred)))
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


# The gap categories left out of the "in scope" figures: deferred (ERL 1/2,
# MC/S and the like, issue 14: counted once that work lands) and
# not-applicable (binds something Touchstone is not). They stay in the raw
# figures and in the list of gaps.
OUT_OF_SCOPE = ("deferred", "not-applicable")


def out_of_scope(entry, missing):
    """The category that takes this requirement out of the in-scope
    denominator of `missing` (implementation or test), or None."""
    reason = entry.reasons.get(missing)
    return reason.category if reason is not None and reason.category in OUT_OF_SCOPE else None


def in_scope(entries, group=("target", "both")):
    """[(missing, total, {category: excluded}, in scope, covered, share)] for
    the MUSTs of `group`: `missing` implementation or test; the denominator
    drops the MUSTs whose gap of that kind is deferred or not-applicable."""
    musts = [e for e in entries if e.requirement.level == "must" and e.side in group]
    out = []
    for missing, cited in (("implementation", "implemented_by"), ("test", "tested_by")):
        excluded = dict.fromkeys(OUT_OF_SCOPE, 0)
        covered = 0
        for e in musts:
            category = out_of_scope(e, missing)
            if category:
                excluded[category] += 1
            elif getattr(e, cited):
                covered += 1
        scope = len(musts) - sum(excluded.values())
        out.append((missing, len(musts), excluded, scope, covered, share(covered, scope)))
    return out
