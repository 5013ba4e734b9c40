"""Runs one document: checks its markers and JSON, runs its `run` blocks in
a scratch folder with the build's binaries first on PATH, reports doc:line
for every failure."""
import glob
import json
import os
import shutil
import tempfile

from . import checks, execute, isolation, markdown, session


class Report:
    def __init__(self, doc):
        self.doc, self.failed, self.passed, self.skipped = doc, 0, 0, 0

    def ok(self, line, what):
        self.passed += 1
        print(f"{self.doc}:{line}: ok ({what})", flush=True)

    def skip(self, line, why):
        self.skipped += 1
        print(f"{self.doc}:{line}: skip: {why}", flush=True)

    def fail(self, line, why, output=None):
        self.failed += 1
        print(f"{self.doc}:{line}: FAIL: {why}", flush=True)
        if output and output.strip():
            tail = output.strip("\n").splitlines()[-15:]
            print("\n".join("    | " + l for l in tail), flush=True)


def check_markers(blocks, report):
    """Every shell block says run or skip; expect and same-as sit where they can apply."""
    previous = None
    for block in blocks:
        m = block.marker
        if block.is_shell and (m is None or m.kind not in ("run", "skip")):
            report.fail(block.line, f"a ```{block.lang} block without <!-- doc-test: run --> or "
                        "<!-- doc-test: skip REASON --> on the line before it")
        elif m and m.kind == "expect" and not (previous and previous.marker
                                                and previous.marker.kind == "run"):
            report.fail(m.line, "doc-test: expect must follow a doc-test: run block")
        elif m and m.kind == "same-as" and block.lang != "json":
            report.fail(m.line, "doc-test: same-as marks a ```json block")
        elif m and m.kind in ("run", "skip") and not block.is_shell:
            report.fail(m.line, f"doc-test: {m.kind} marks a shell block, not ```{block.lang}")
        previous = block


def check_json(blocks, repo, report):
    """Every ```json block parses; a same-as one equals its file, once parsed."""
    for block in blocks:
        if block.lang != "json" or (block.marker and block.marker.kind == "skip"):
            continue
        try:
            doc = json.loads("\n".join(block.lines))
        except json.JSONDecodeError as e:
            report.fail(block.line + 1 + e.lineno - 1, f"the JSON example does not parse: {e.msg}")
            continue
        if not (block.marker and block.marker.kind == "same-as"):
            continue
        path = block.marker.text
        try:
            with open(os.path.join(repo, path)) as f:
                file = json.load(f)
        except (OSError, json.JSONDecodeError) as e:
            report.fail(block.line, f"{path}: {e}")
            continue
        diff = checks.json_differences(doc, file)
        if diff:
            report.fail(block.line, f"differs from {path} (parsed): " + "; ".join(diff))
        else:
            report.ok(block.line, f"the same JSON as {path}")


def scratch_folder(repo, build, keep_root):
    """A fresh folder that looks like the repository root: a link to each of
    its entries, build/<name> linked to the build folder, and tmp/, run/ and
    .doc-test/ of its own. The docs name build/dev (the quick start's build):
    when the build under test is another (ci/test runs the docs in asan),
    build/dev links to it too."""
    root = os.path.join(build, "doc-tests")
    os.makedirs(root, exist_ok=True)
    for old in glob.glob(os.path.join(root, glob.escape(keep_root) + "@*")):
        shutil.rmtree(old, ignore_errors=True)   # kept by an earlier failing run
    folder = tempfile.mkdtemp(dir=root, prefix=keep_root + "@")
    for name in os.listdir(repo):
        if name not in ("build", ".git"):
            os.symlink(os.path.join(repo, name), os.path.join(folder, name))
    os.makedirs(os.path.join(folder, "build"))
    for name in {os.path.basename(build.rstrip("/")), "dev"}:
        os.symlink(build, os.path.join(folder, "build", name))
    for sub in ("tmp", "run", ".doc-test"):
        os.makedirs(os.path.join(folder, sub))
    os.chmod(os.path.join(folder, "run"), 0o700)
    return folder


def environment(build, folder, private_tmp):
    """The build's tools first on PATH; control sockets in a folder of the
    run's own unless /tmp is private already."""
    dirs = set()
    for root, subdirs, files in os.walk(build):
        subdirs[:] = [d for d in subdirs if d not in ("CMakeFiles", "doc-tests")]
        if any(f.startswith(("touchstone-", "fuzz_")) and os.access(os.path.join(root, f), os.X_OK)
               for f in files):
            dirs.add(root)
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(sorted(dirs) + [env.get("PATH", "/usr/bin:/bin")])
    env["NO_COLOR"] = "1"
    for name in ("TOUCHSTONE_TARGET_CONTROL", "TMPDIR", "CDPATH", "BASH_ENV", "ENV"):
        env.pop(name, None)
    if private_tmp:
        env.pop("XDG_RUNTIME_DIR", None)
    else:
        env["XDG_RUNTIME_DIR"] = os.path.join(folder, "run")
    return env


def run_doc(doc, repo, build, timeout, keep):
    """Checks and runs one document; its Report."""
    rel = os.path.relpath(doc, repo)
    report = Report(rel)
    with open(doc) as f:
        text = f.read()
    try:
        blocks = markdown.parse(text)
    except markdown.MarkerError as e:
        report.fail(e.line, str(e))
        return report
    check_markers(blocks, report)
    check_json(blocks, repo, report)
    if any(b.is_shell and b.marker and b.marker.kind == "run" for b in blocks):
        run_blocks(blocks, repo, build, timeout, keep, report)
    else:
        for b in blocks:
            if b.is_shell and b.marker and b.marker.kind == "skip":
                report.skip(b.line, b.marker.text)
    return report


def run_blocks(blocks, repo, build, timeout, keep, report):
    stem = os.path.splitext(os.path.basename(report.doc))[0]
    folder = scratch_folder(repo, build, stem)
    private = isolation.isolated() and not _under_tmp(repo, build, folder)
    if private:
        isolation.private_tmp(os.path.join(folder, "tmp"))
    sess = session.Session(folder, environment(build, folder, private), os.path.join(folder, ".doc-test"))
    try:
        execute.Runner(sess, report, timeout).run_all(blocks)
    finally:
        sess.close()
        if private:
            isolation.release_tmp()
        if keep or report.failed:
            print(f"{report.doc}: scratch folder kept: {folder}", flush=True)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _under_tmp(*paths):
    """A private /tmp would hide these."""
    return any(os.path.realpath(p).startswith("/tmp/") for p in paths)
