"""Which citations quote which requirement.

A citation block (ci/citations' blocks_of) is of one of three kinds:
  - test: it has `type=test` (on its `//=` line or a `//= type=test` line
    after it), or sits in a test file (a `tests`
    or `test` folder, a `*_test.*` or `test_*` file) or in a conformance
    case (`conformance/cases/`);
  - target: any other block in the target and its codec (`reference-target/`,
    `scsi/`, `pdu/`);
  - check: any other block elsewhere (the conformance engine, the fuzzers'
    oracles and initiators).
Which kinds implement and which test a requirement depends on its side
(implemented_and_tested): a target-side, both-side or neither rule is
implemented by target citations only, and a check of it is a test; an
initiator-side rule is implemented by the suite's engine and the target's
strict mode, so target and check citations both implement it. Blocks
ci/citations finds wrong are not counted.

The overlap rule: each `//#` fragment (split at `...`) is placed in the cited
section's normalised text where ci/citations finds it (the first place after
the previous fragment). A requirement sentence is matched by the block when
one of its fragments
  - lies inside the sentence (a quote of part of it, key word or not), or
  - covers the whole sentence (a quote of several sentences), or
  - straddles the sentence's start or end and covers one of its RFC 2119
    key words (a quote that runs from one sentence into the next matches
    the second only if it reaches that sentence's MUST/SHOULD/MAY).
"""
import os
import re
from dataclasses import dataclass

from .shared import ROOT, citations

TEST_FILE = re.compile(r"(^|/)(tests?/|[^/]*_test\.[a-z]+$|test_[^/]*$)")
CASE_FILE = re.compile(r"(^|/)conformance/cases/")
TARGET_FOLDERS = ("reference-target/", "scsi/", "pdu/")
KINDS = ("test", "target", "check")


@dataclass
class Citation:
    where: str  # "file:line"
    section: str
    kind: str  # one of KINDS
    spans: list  # (start, end) of each fragment in the section text


def has_type_test(lines, cite_line):
    """Whether the `//=` line (`//= rfc7143#section-X type=test`) or the
    attribute lines after it hold type=test."""
    m = citations.CITE.match(lines[cite_line - 1])
    if m and "type=test" in m.group(2).split():
        return True
    i = cite_line  # the line after the //= line (cite_line is 1-based)
    while i < len(lines):
        m = citations.CITE.match(lines[i])
        if not m or "=" not in m.group(1):
            return False
        if m.group(1) == "type=test":
            return True
        i += 1
    return False


def kind_of(relative, is_test):
    """The kind of a citation block in the file at `relative` (from the root)."""
    if is_test:
        return "test"
    return "target" if relative.startswith(TARGET_FOLDERS) else "check"


def fragment_spans(quote, text):
    """(start, end) of each fragment of a quote in a section's text, in order."""
    spans, at = [], 0
    for fragment in quote.split("..."):
        fragment = citations.normal(fragment)
        if not fragment:
            continue
        found = text.find(fragment, at)
        if found < 0:
            return []
        spans.append((found, found + len(fragment)))
        at = found + len(fragment)
    return spans


def citations_in(paths, rfc, spec, root=ROOT):
    """Every right citation of `rfc` in the files under paths."""
    out = []
    for path in citations.source_files(paths):
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
        relative = os.path.relpath(path, root)
        in_test = bool(TEST_FILE.search(relative) or CASE_FILE.search(relative))
        for line, cited, quote in citations.blocks_of(path):
            m = citations.RFC_ID.match(cited)
            if not m or m.group(1) != rfc or m.group(2) not in spec.sections:
                continue
            spans = fragment_spans(quote, spec.sections[m.group(2)])
            if spans:
                kind = kind_of(relative, in_test or has_type_test(lines, line))
                out.append(Citation(f"{relative}:{line}", m.group(2), kind, spans))
    return out


def overlaps(span, requirement):
    start, end = span
    if requirement.start <= start and end <= requirement.end:
        return True  # the fragment lies inside the sentence
    if start <= requirement.start and requirement.end <= end:
        return True  # the fragment covers the sentence
    return any(start <= k_start and k_end <= end for k_start, k_end in requirement.keywords)


def matches(citation, requirement):
    return citation.section == requirement.section and any(
        overlaps(span, requirement) for span in citation.spans)


def status_of(implemented, tested):
    if implemented and tested:
        return "both"
    return "implemented" if implemented else "tested" if tested else "neither"


def implemented_and_tested(hits, side):
    """(implementation citations, test citations) of a requirement of `side`
    among the citations that match it."""
    implementing = ("target", "check") if side == "initiator" else ("target",)
    implemented = [c.where for c in hits if c.kind in implementing]
    tested = [c.where for c in hits if c.kind not in implementing]
    return implemented, tested


def cover(requirements, cites):
    """{id(requirement): [the citations that match it]}."""
    by_section = {}
    for c in cites:
        by_section.setdefault(c.section, []).append(c)
    out = {}
    for req in requirements:
        out[id(req)] = [c for c in by_section.get(req.section, []) if matches(c, req)]
    return out
