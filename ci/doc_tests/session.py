"""One document's shell: a bash process fed block after block, so variables
(`T=...`, `PID=$!`) and background jobs carry from one block to the next as
they do for a reader. Everything it starts shares its process group, which
is killed when the document is done."""
import os
import shlex
import signal
import subprocess
import time

POLL = 0.05


class Session:
    def __init__(self, cwd, env, workdir):
        self.workdir = workdir
        self.log = open(os.path.join(workdir, "shell.log"), "w")
        self.proc = subprocess.Popen(
            ["bash", "--norc", "--noprofile", "-s"], stdin=subprocess.PIPE, stdout=self.log,
            stderr=subprocess.STDOUT, cwd=cwd, env=env, start_new_session=True, text=True)

    def files(self, n):
        base = os.path.join(self.workdir, f"block-{n}")
        return {k: f"{base}.{k}" for k in ("sh", "out", "status", "done", "pid")}

    def _send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def run(self, n, timeout):
        """Runs block n in the shell; (None, or why it did not finish: "timed out
        after S s" or "the shell exited", output, {step: status})."""
        f = self.files(n)
        q = {k: shlex.quote(v) for k, v in f.items()}
        self._send(f"{{ . {q['sh']}; }} >{q['out']} 2>&1 </dev/null; : >{q['done']}")
        deadline = time.monotonic() + timeout
        while not os.path.exists(f["done"]):
            if self.proc.poll() is not None:
                return "the shell exited", _read(f["out"]), _statuses(f["status"])
            if time.monotonic() > deadline:
                return f"timed out after {timeout:g} s", _read(f["out"]), _statuses(f["status"])
            time.sleep(POLL)
        return None, _read(f["out"]), _statuses(f["status"])

    def start_background(self, n, ready, timeout):
        """Runs block n in a background subshell of the session; waits until
        ready(output) or the timeout. Returns (pid or None, ready?, output)."""
        f = self.files(n)
        q = {k: shlex.quote(v) for k, v in f.items()}
        self._send(f"( . {q['sh']} ) >{q['out']} 2>&1 </dev/null & echo $! >{q['pid']}; disown $!")
        deadline = time.monotonic() + timeout
        pid = None
        while time.monotonic() < deadline:
            if pid is None and os.path.exists(f["pid"]):
                pid = int(_read(f["pid"]).strip() or 0) or None
            output = _read(f["out"])
            if pid and ready(output):
                return pid, True, output
            if pid and not _alive(pid):
                break
            time.sleep(POLL)
        return pid, False, _read(f["out"])

    def stop_background(self, pid):
        """SIGTERM to the subshell and everything under it (what Ctrl-C would
        reach), SIGKILL after 5 s."""
        _signal_tree(pid, signal.SIGTERM, wait=5.0)

    def close(self):
        """Ends the shell and every process of its group."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        _signal_group(self.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while _group_alive(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(POLL)
        _signal_group(self.proc.pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait()
        self.log.close()


def _read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def _statuses(path):
    result = {}
    for line in _read(path).splitlines():
        step, _, rc = line.partition(" ")
        if step.isdigit() and rc.isdigit():
            result[int(step)] = int(rc)
    return result


def _alive(pid):
    try:
        os.kill(pid, 0)
        return not _read(f"/proc/{pid}/stat").split(") ")[-1].startswith("Z")
    except ProcessLookupError:
        return False


def _children():
    """{ppid: [pid, ...]} of every process, from /proc."""
    tree = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = _read(f"/proc/{name}/stat")
            if stat:
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                tree.setdefault(ppid, []).append(int(name))
    return tree


def _signal_tree(pid, sig, wait):
    tree, todo, found = _children(), [pid], []
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(tree.get(p, []))
    for p in reversed(found):
        _kill(p, sig)
    deadline = time.monotonic() + wait
    while any(_alive(p) for p in found) and time.monotonic() < deadline:
        time.sleep(POLL)
    for p in found:
        if _alive(p):
            _kill(p, signal.SIGKILL)


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Zombies (children of the session's bash, reaped when it goes) count as gone.
    for name in os.listdir("/proc"):
        if name.isdigit():
            fields = _read(f"/proc/{name}/stat").rsplit(")", 1)[-1].split()
            if len(fields) > 3 and int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False
