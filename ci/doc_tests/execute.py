"""The `run` blocks of one document, in order, in its shell session: the
commands' exit statuses, the output the doc shows, background blocks
stopped at the next heading."""
import os

from . import checks, steps

DEFAULT_TIMEOUT = 20


def _expect_block(blocks, i):
    """The `doc-test: expect` block right after block i, if any."""
    if i + 1 < len(blocks) and blocks[i + 1].marker and blocks[i + 1].marker.kind == "expect":
        nxt = blocks[i + 1]
        return checks.select_lines(nxt.lines, nxt.marker.options.get("lines"), nxt.line + 1)
    return None


def _clean(output):
    return steps.STEP_MARK_RE.sub("", output)


def step_failures(block_steps, statuses, outputs):
    """(doc line, why, output) for each step that failed."""
    out = []
    for i, step in enumerate(block_steps):
        if step.dropped:
            continue
        rc = statuses.get(i)
        said = outputs.get(i, "")
        nxt = block_steps[i + 1] if i + 1 < len(block_steps) else None
        wanted = nxt.status_of_previous if nxt and nxt.status_of_previous is not None else 0
        if rc is None:
            out.append((step.line, f"`{_short(step.command)}` never finished", said))
            break
        if rc != wanted:
            why = f"`{_short(step.command)}` exited {rc}" + (f", the doc says {wanted}" if wanted else "")
            out.append((step.line, why, said))
        if step.expected:
            missing = checks.text_in(step.expected, said)
            if missing:
                out.append((missing[0], f"`{_short(step.command)}` did not print what the doc shows "
                            f"(from line {missing[0]}: {missing[1]!r})", said))
    return out


def _short(command):
    first = command.strip().splitlines()[0]
    return first if len(first) <= 100 else first[:97] + "..."


def _describe(block_steps, marker):
    n = sum(1 for s in block_steps if not s.dropped)
    left = sorted({steps._first_word(s.command) for s in block_steps if s.dropped})
    what = f"{n} command{'s' if n != 1 else ''}"
    if left:
        what += f"; left out: {', '.join(left)}" + (f" ({marker.text})" if marker.text else "")
    return what


class Runner:
    def __init__(self, sess, report, timeout):
        self.sess, self.report, self.timeout = sess, report, timeout
        self.background = []   # (pid, stop before this line, block line)

    def stop_background(self, before_line):
        keep = []
        for pid, until, line in self.background:
            if until <= before_line:
                self.sess.stop_background(pid)
            else:
                keep.append((pid, until, line))
        self.background = keep

    def run_all(self, blocks):
        """False when the session had to be abandoned (a timeout)."""
        for i, block in enumerate(blocks):
            if not block.is_shell or not block.marker:
                continue
            self.stop_background(block.line)
            if block.marker.kind == "skip":
                self.report.skip(block.line, block.marker.text)
                continue
            if not self.run_block(i, block, _expect_block(blocks, i)):
                rest = [b for b in blocks[i + 1:] if b.is_shell and b.marker and b.marker.kind == "run"]
                for b in rest:
                    self.report.fail(b.line, "not run: the document's shell was stopped (above)")
                return False
        self.stop_background(float("inf"))
        return True

    def run_block(self, n, block, expected):
        opts = block.marker.options
        without = tuple(w for w in str(opts.get("without", "")).split(",") if w)
        block_steps = steps.split(block, opts.get("expect") == "comments", without)
        files = self.sess.files(n)
        with open(files["sh"], "w") as f:
            f.write(steps.script(block_steps, files["status"], files["out"]))
        timeout = float(opts.get("timeout", self.timeout))
        if opts.get("bg"):
            return self.run_background(n, block, block_steps, expected, timeout)
        stopped, output, statuses = self.sess.run(n, timeout)
        outputs = steps.outputs(output)
        failures = step_failures(block_steps, statuses, outputs)
        if stopped:
            step = next((s for i, s in enumerate(block_steps) if i not in statuses and not s.dropped),
                        block_steps[-1])
            self.report.fail(step.line, f"{stopped} in `{_short(step.command)}`", _clean(output))
            return False
        if expected:
            missing = checks.lines_in_order(expected, _clean(output))
            if missing:
                failures.append((missing[0], f"the output lacks line {missing[0]} of the doc: "
                                 f"{missing[1]!r}", _clean(output)))
        for line, why, said in failures:
            self.report.fail(line, why, said)
        if not failures:
            self.report.ok(block.line, _describe(block_steps, block.marker))
        return True

    def run_background(self, n, block, block_steps, expected, timeout):
        if expected:
            ready = lambda out: checks.lines_in_order(expected, _clean(out)) is None
        else:
            ready = lambda out: _clean(out).strip() != ""
        pid, ok, output = self.sess.start_background(n, ready, timeout)
        if pid:
            self.background.append((pid, block.section_end, block.line))
        if ok:
            self.report.ok(block.line, f"in the background until line {block.section_end - 1}"
                           + (f"; printed the {len(expected)} lines the doc shows" if expected else ""))
        elif expected:
            missing = checks.lines_in_order(expected, _clean(output))
            self.report.fail(missing[0], f"within {timeout:g} s the output lacks line {missing[0]} "
                             f"of the doc: {missing[1]!r}", _clean(output))
        else:
            self.report.fail(block.line, f"printed nothing within {timeout:g} s", _clean(output))
        return True
