"""What a doc shows against what happened: expected output lines, and JSON
examples against the files they claim to be."""
import json
import re


def normalize(text):
    """Runs of blanks become one space; each line stripped."""
    return [re.sub(r"\s+", " ", l).strip() for l in text.splitlines()]


def _pattern(expected):
    """'...' matches anything (blanks around it included); any run of blanks
    matches any run of blanks."""
    parts = [re.escape(p.strip()).replace(r"\ ", r"\s+")
             for p in re.sub(r"\s+", " ", expected.strip()).split("...")]
    return re.compile(r"\s*.*?\s*".join(parts))


def lines_in_order(expected_lines, output):
    """None when every expected line matches a whole output line, in order
    (blanks normalized, '...' a wildcard); else the first line missing."""
    actual = [l for l in normalize(output) if l]
    at = 0
    for doc_line, text in expected_lines:
        pattern = _pattern(text)
        while at < len(actual) and not pattern.fullmatch(actual[at]):
            at += 1
        if at == len(actual):
            return doc_line, text
        at += 1
    return None


def text_in(expected_lines, output):
    """None when the expected lines, joined, appear in the output (blanks
    normalized on both sides, so a line the doc wraps still matches, '...' a
    wildcard); else the first expected (doc line, text)."""
    joined = " ".join(l for l in normalize(output) if l)
    wanted = " ".join(text for _, text in expected_lines)
    if _pattern(wanted).search(joined):
        return None
    return expected_lines[0]


def select_lines(lines, spec, first_line):
    """The (doc line, text) pairs a `lines=1-3,5` option picks (1-based in the
    block; all non-blank lines without it)."""
    numbered = [(first_line + i, l) for i, l in enumerate(lines)]
    if not spec:
        return [(n, l) for n, l in numbered if l.strip()]
    wanted = set()
    for part in str(spec).split(","):
        lo, _, hi = part.partition("-")
        wanted.update(range(int(lo), int(hi or lo) + 1))
    return [(n, l) for i, (n, l) in enumerate(numbered, 1) if i in wanted and l.strip()]


def json_differences(doc, file, path="", limit=10):
    """Where two parsed JSON values differ, as 'path: what' strings."""
    out = []
    if isinstance(doc, dict) and isinstance(file, dict):
        for key in sorted(set(doc) | set(file)):
            p = f"{path}.{key}" if path else key
            if key not in file:
                out.append(f"{p}: in the doc, not in the file")
            elif key not in doc:
                out.append(f"{p}: in the file, not in the doc")
            else:
                out += json_differences(doc[key], file[key], p, limit)
    elif isinstance(doc, list) and isinstance(file, list):
        if len(doc) != len(file):
            out.append(f"{path or '(top)'}: {len(doc)} items in the doc, {len(file)} in the file")
        for i, (a, b) in enumerate(zip(doc, file)):
            out += json_differences(a, b, f"{path}[{i}]", limit)
    elif doc != file or type(doc) is not type(file):
        out.append(f"{path or '(top)'}: {json.dumps(doc)} in the doc, {json.dumps(file)} in the file")
    return out[:limit]
