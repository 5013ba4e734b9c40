"""The requirement sentences of an RFC: every sentence of a section's
normalised text (ci/citations' sections_of) that holds an RFC 2119 key word.

Skipped: the table of contents (it comes before section 1, so it is in no
section), "References" (16, 16.x: citations of other documents, no rules),
"Summary of Changes" (2.3: it retells RFC 3720 -> 7143 changes whose rules
are stated again where they apply) and the Acknowledgments / Authors'
Addresses that follow the last appendix.
"""
import re
from dataclasses import dataclass, field

from .shared import citations

SKIPPED_SECTIONS = {
    "2.3": "Summary of Changes: the RFC 3720 -> 7143 changes, restated where they apply",
    "16": "References", "16.1": "References", "16.2": "References",
}
BACK_MATTER = re.compile(r"\s(Acknowledg(e)?ments|Authors' Addresses)\s")
# duvet's key words (duvet/src/extract.rs).
LEVEL_WORDS = [
    ("must", re.compile(r"\b(MUST|SHALL)( NOT)?\b|\bREQUIRED\b")),
    ("should", re.compile(r"\bSHOULD( NOT)?\b|\b(NOT )?RECOMMENDED\b")),
    ("may", re.compile(r"\b(MAY|OPTIONAL)\b")),
]
LEVEL_ORDER = ["must", "should", "may"]
JOINED = ('"', "-", "_")
# A sentence ends at . ? or ! before a space and a capital, a digit, a quote,
# a bracket or "iSCSI"; "e.g." and "i.e." do not end one. A list item ("o  ...", "-  ...",
# or "b) MUST ...") starts one.
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)([.?!])\s+(?=[A-Z0-9\"'(\[]|iSCSI)")
LIST_ITEM = re.compile(r"\s(?=[o-]\s+[A-Z\"(]|[a-z]\)\s+(MUST|SHALL|SHOULD|MAY)\b)")
# A PDU figure ends with its digests ("Header-Digest (optional)"): the
# sentence after it starts there, not at the figure's first cell.
FIGURE_END = re.compile(r"Digest \(optional\)(?= [A-Z])")
KEY_CHARS = 60


@dataclass
class Requirement:
    section: str
    text: str
    level: str
    start: int  # offset of the sentence in the section's normalised text
    keywords: list = field(default_factory=list)  # (start, end) in the section text

    @property
    def end(self):
        return self.start + len(self.text)

    @property
    def key(self):
        return sentence_key(self.text)


def sentence_key(text):
    """The side table's key: the sentence's first characters, normalised."""
    return citations.normal(text)[:KEY_CHARS].rstrip()


def key_words(sentence):
    """(level, start, end) of each key word of a sentence; one in quotes
    ("MUST", a definition) or joined to a name (MUTUAL-REQUIRED) is not one."""
    out = []
    for level, words in LEVEL_WORDS:
        for m in words.finditer(sentence):
            before, after = sentence[m.start() - 1:m.start()], sentence[m.end():m.end() + 1]
            if before not in JOINED and after not in JOINED:
                out.append((level, m.start(), m.end()))
    return sorted(out, key=lambda k: k[1])


def level_of(sentence):
    """The sentence's strongest level ("must", "should", "may") or None."""
    levels = {level for level, _, _ in key_words(sentence)}
    return next((level for level in LEVEL_ORDER if level in levels), None)


def keyword_spans(sentence, offset):
    return [(offset + start, offset + end) for _, start, end in key_words(sentence)]


def sentence_spans(text, begin=0):
    """(start, end) of every sentence of a normalised text from begin on."""
    cuts = {begin, len(text)}
    cuts.update(m.end(1) for m in SENTENCE_END.finditer(text))
    cuts.update(m.start() + 1 for m in LIST_ITEM.finditer(text))
    cuts.update(m.end() for m in FIGURE_END.finditer(text))
    bounds = sorted(c for c in cuts if c >= begin)
    spans = []
    for start, end in zip(bounds, bounds[1:]):
        while start < end and text[start] == " ":
            start += 1
        if start < end:
            spans.append((start, end))
    return spans


def body_of(text):
    """The section text without what follows the last appendix."""
    m = BACK_MATTER.search(text)
    return text[:m.start()] if m else text


def requirements_of(section, text, begin=0):
    out = []
    for start, end in sentence_spans(text, begin):
        sentence = text[start:end].rstrip()
        level = level_of(sentence)
        if level:
            out.append(Requirement(section, sentence, level, start,
                                   keyword_spans(sentence, start)))
    return out


def section_order(section):
    """Sort key: 2 < 2.1 < 10 < 11.2.1 < appendix A."""
    parts = section.split(".")
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts]


def headings_of(path):
    """{section: its heading line, normalised ("11.7.4. Target Transfer Tag
    and LUN")}: the start of that section's text in sections_of."""
    headings = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = citations.HEADING.match(line.rstrip("\n"))
            if m and not citations.PAGE_NOISE.match(line.strip()):
                section = m.group(1) or m.group(2).replace("Appendix ", "")
                headings.setdefault(section, citations.normal(line))
    return headings


def title_of(heading):
    """"11.7.4. Target Transfer Tag and LUN" -> "Target Transfer Tag and LUN"."""
    return heading.split(". ", 1)[1] if ". " in heading else heading


@dataclass
class Spec:
    sections: dict  # section -> normalised text (ci/citations' view)
    titles: dict  # section -> title
    requirements: list


def load_spec(path):
    """The RFC's sections, titles and requirement sentences, in RFC order."""
    sections = citations.sections_of(path)
    headings = headings_of(path)
    reqs = []
    for section in sorted(sections, key=section_order):
        if section in SKIPPED_SECTIONS:
            continue
        text = body_of(sections[section])
        heading = headings.get(section, "")
        skip = len(heading) if text.startswith(heading) else 0
        reqs.extend(requirements_of(section, text, skip))
    titles = {s: title_of(h) for s, h in headings.items()}
    return Spec(sections, titles, reqs)
