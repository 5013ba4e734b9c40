"""A shell block as steps (one complete command each) and the instrumented script that runs them.

Each step is one complete shell command (continuation lines and multi-line
quotes included; `bash -n` decides where a command ends). The script prints
a marker line before each step and records each step's exit status, so the
runner can say which command of a block failed and what it printed.
"""
import dataclasses
import re
import shlex
import subprocess

ECHO_STATUS = re.compile(r"^echo\s+\$\?\s*#\s*(?P<rc>\d+)\s*$")
STEP_MARK = "@@doc-test step {}@@"
STEP_MARK_RE = re.compile(r"^@@doc-test step (\d+)@@$", re.M)


@dataclasses.dataclass
class Step:
    line: int                 # line in the document
    command: str
    expected: list = dataclasses.field(default_factory=list)  # (doc line, text) output lines
    status_of_previous: int | None = None   # `echo $?   # N`: the step before must exit N
    dropped: bool = False     # removed by `without=`


def _complete(text):
    """Whether text is one or more complete shell commands."""
    if text.rstrip().endswith("\\"):
        return False
    return subprocess.run(["bash", "-n", "-c", text], capture_output=True).returncode == 0


def _first_word(command):
    try:
        words = shlex.split(command, comments=True)
    except ValueError:
        words = command.split()
    return words[0] if words else ""


def split(block, expect_comments=False, without=()):
    """The steps of a sh block; with expect_comments, comment lines right
    after a command are the output it must print (see docs/architecture.md)."""
    steps, pending, start = [], [], 0
    if block.lang == "console":
        return _split_console(block, without)
    for n, raw in enumerate(block.lines):
        doc_line = block.line + 1 + n
        if not pending:
            stripped = raw.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                if expect_comments and steps and _follows_step(block, steps[-1], n):
                    steps[-1].expected.append((doc_line, stripped.lstrip("#").strip()))
                continue
            start = doc_line
        pending.append(raw)
        text = "\n".join(pending)
        if _complete(text):
            steps.append(_step(start, text, without))
            pending = []
    if pending:
        steps.append(_step(start, "\n".join(pending), without))
    return steps


def _follows_step(block, step, n):
    """Whether line n of the block continues the comment run right after step."""
    previous = block.line + 1 + n - 1
    return previous == step.line + step.command.count("\n") + len(step.expected)


def _step(line, text, without):
    step = Step(line, text)
    m = ECHO_STATUS.match(text.strip())
    if m:
        step.status_of_previous = int(m.group("rc"))
    step.dropped = _first_word(text) in without
    return step


def _split_console(block, without):
    steps, continuing = [], False
    for n, raw in enumerate(block.lines):
        doc_line = block.line + 1 + n
        if continuing:
            steps[-1].command += "\n" + raw
        elif raw.startswith("$ "):
            steps.append(_step(doc_line, raw[2:], without))
        elif raw.strip() and steps:
            steps[-1].expected.append((doc_line, raw.strip()))
        continuing = bool(steps) and raw.rstrip().endswith("\\") and (continuing or raw.startswith("$ "))
    for step in steps:
        step.dropped = _first_word(step.command) in without
    return steps


def script(steps, status_file, output_file):
    """The block as bash source: marker, command, status record, for each step.
    `$?` is handed on from one step to the next (so `echo $?` still works),
    and `$!` is untouched (function calls start no background job). After a
    command started in the background (`... &`) the script waits, as a reader
    would, until it printed something (at most 3 s): a server's start-up lines."""
    q, o = shlex.quote(status_file), shlex.quote(output_file)
    out = [
        "__dt_next() { local rc=$1; printf '%s %s\\n' \"$2\" \"$rc\" >>" + q + "; "
        "[ \"$3\" = end ] || printf '\\n" + STEP_MARK.format("%s") + "\\n' \"$3\"; "
        "__dt_size=$(stat -c %s " + o + "); return $rc; }",
        "__dt_settle() { local rc=$? i; for i in $(seq 30); do "
        "[ \"$(stat -c %s " + o + ")\" -gt \"$__dt_size\" ] && break; sleep 0.1; done; return $rc; }",
        "printf '\\n" + STEP_MARK.format(0) + "\\n'; __dt_size=$(stat -c %s " + o + ")",
    ]
    for i, step in enumerate(steps):
        out.append(":" if step.dropped else step.command)
        if _background(step.command) and not step.dropped:
            out.append("__dt_settle")
        out.append(f"__dt_next $? {i} {i + 1 if i + 1 < len(steps) else 'end'}")
    return "\n".join(out) + "\n"


def _background(command):
    last = re.sub(r"\s#[^'\"]*$", "", command.rstrip().splitlines()[-1]).rstrip()
    return last.endswith("&") and not last.endswith("&&")


def outputs(text):
    """{step index: what it printed} from a block's output file."""
    parts = STEP_MARK_RE.split(text)
    return {int(parts[k]): parts[k + 1].strip("\n") for k in range(1, len(parts) - 1, 2)}
