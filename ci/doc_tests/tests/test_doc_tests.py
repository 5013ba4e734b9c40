"""ci/doc-tests on two fixture documents: one whose every check passes, one
where each kind of check fails with its doc:line. Run by ctest docs:runner:
    python3 ci/doc_tests/tests/test_doc_tests.py BUILD_DIR
"""
import os
import re
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("DOC_TESTS_BUILD", os.path.join(REPO, "build", "dev"))


def run(doc, *extra):
    p = subprocess.run([sys.executable, os.path.join(REPO, "ci", "doc-tests"), "--build", BUILD,
                        *extra, os.path.join(HERE, doc)], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


def alive(pid):
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


class Passing(unittest.TestCase):
    def test_every_check_passes(self):
        rc, out = run("passing.md")
        self.assertEqual(rc, 0, out)
        self.assertIn("passing.md:4: ok (5 commands)", out)
        self.assertIn("left out: cmake (the test runs on a built tree)", out)
        self.assertIn("passing.md:26: ok (in the background until line 42; printed the 1 lines", out)
        self.assertIn("passing.md:51: ok (the same JSON as ci/doc_tests/tests/example.json)", out)
        self.assertIn("passing.md:56: skip: needs a peer", out)
        self.assertIn("doc-tests: 7 ok, 0 failed, 1 skipped", out)


class Failing(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rc, cls.out = run("failing.md", "--keep")
        folder = re.search(r"scratch folder kept: (\S+)", cls.out)
        cls.folder = folder.group(1) if folder else None

    def test_exit_status_1(self):
        self.assertEqual(self.rc, 1, self.out)

    def test_unmarked_block(self):
        self.assertIn("failing.md:3: FAIL: a ```sh block without <!-- doc-test: run -->", self.out)

    def test_command_status_and_output(self):
        self.assertIn("failing.md:10: FAIL: `false` exited 1", self.out)
        self.assertIn("failing.md:12: FAIL: `echo two` did not print what the doc shows", self.out)
        self.assertIn("failing.md:13: FAIL: `sh -c 'exit 1'` exited 1, the doc says 2", self.out)

    def test_json(self):
        self.assertIn("failing.md:18: FAIL: differs from ci/doc_tests/tests/example.json (parsed): "
                      "a.x: false in the doc, true in the file; b: 3 items in the doc, 2 in the file", self.out)
        self.assertIn("failing.md:28: FAIL: the JSON example does not parse", self.out)

    def test_background_expectation(self):
        self.assertIn("failing.md:40: FAIL: within 2 s the output lacks line 40 of the doc", self.out)

    def test_timeout_stops_the_document(self):
        self.assertIn("failing.md:45: FAIL: timed out after 1 s in `sleep 30`", self.out)
        self.assertIn("failing.md:49: FAIL: not run: the document's shell was stopped (above)", self.out)

    def test_nothing_left_running(self):
        self.assertIsNotNone(self.folder, self.out)
        with open(os.path.join(self.folder, "server.pid")) as f:
            pid = int(f.read())
        self.assertFalse(alive(pid), f"the background block's shell {pid} survived")
        subprocess.run(["rm", "-rf", self.folder])


if __name__ == "__main__":
    if len(sys.argv) > 1:
        BUILD = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
