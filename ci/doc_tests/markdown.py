"""Fenced blocks of a Markdown file and the doc-test markers in front of them.

A marker is an HTML comment on the line right before a fence (indented like
it, for blocks inside list items):

    <!-- doc-test: run [bg] [expect=comments] [without=WORD,...] [timeout=S] [-- note] -->
    <!-- doc-test: skip REASON -->
    <!-- doc-test: expect [lines=A-B,C] -->      (a text block: output of the run block before it)
    <!-- doc-test: same-as PATH -->             (a json block: equal, once parsed, to the file)

The grammar is documented in docs/architecture.md ("Docs are tests").
"""
import dataclasses
import re

SHELL_LANGS = {"sh", "bash", "shell", "console", "zsh"}
KINDS = {"run", "skip", "expect", "same-as"}
MARKER = re.compile(r"^\s*<!--\s*doc-test:\s*(?P<body>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)\s*(?P<lang>[\w+-]*)")
HEADING = re.compile(r"^#{1,6}\s")


@dataclasses.dataclass
class Marker:
    kind: str
    options: dict
    text: str  # the reason of a skip, the note of a run, the path of same-as
    line: int


@dataclasses.dataclass
class Block:
    lang: str
    line: int            # 1-based line of the opening fence
    lines: list          # the block's lines, without the fences and the indent
    marker: Marker | None
    section_end: int     # the line of the next heading after the block (or EOF + 1)

    @property
    def is_shell(self):
        return self.lang in SHELL_LANGS


class MarkerError(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


def parse_marker(body, line):
    """'run bg timeout=30 -- note' -> Marker; raises MarkerError on a bad one."""
    kind, _, rest = body.partition(" ")
    rest = rest.strip()
    if kind not in KINDS:
        raise MarkerError(line, f"unknown doc-test marker '{kind}' (one of {', '.join(sorted(KINDS))})")
    if kind == "skip":
        if not rest:
            raise MarkerError(line, "'doc-test: skip' needs a reason")
        return Marker(kind, {}, rest, line)
    if kind == "same-as":
        if not rest or " " in rest:
            raise MarkerError(line, "'doc-test: same-as' needs one path")
        return Marker(kind, {}, rest, line)
    words, _, note = rest.partition("--")
    options = {}
    for word in words.split():
        key, eq, value = word.partition("=")
        options[key] = value if eq else True
    allowed = {"run": {"bg", "expect", "without", "timeout"}, "expect": {"lines"}}[kind]
    unknown = set(options) - allowed
    if unknown:
        raise MarkerError(line, f"'doc-test: {kind}' does not take {', '.join(sorted(unknown))}")
    return Marker(kind, options, note.strip(), line)


def parse(text):
    """Every fenced block of the document, with its marker (or None)."""
    lines = text.split("\n")
    ranges = _fences(lines)
    inside = {n for start, end, _ in ranges for n in range(start, end + 1)}
    headings = [n + 1 for n, l in enumerate(lines) if n not in inside and HEADING.match(l)]
    blocks = []
    for start, end, m in ranges:
        indent = len(m.group("indent"))
        body = [l[indent:] if l[:indent].strip() == "" else l for l in lines[start + 1:end]]
        marker = None
        if start > 0:
            mm = MARKER.match(lines[start - 1])
            if mm:
                marker = parse_marker(mm.group("body"), start)
        section_end = next((h for h in headings if h > end), len(lines) + 1)
        blocks.append(Block(m.group("lang").lower(), start + 1, body, marker, section_end))
    return blocks


def _fences(lines):
    """(opening index, closing index, match) of every fenced block, 0-based."""
    ranges, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not lines[end].strip().startswith(m.group("fence")):
            end += 1
        ranges.append((i, end, m))
        i = end + 1
    return ranges
