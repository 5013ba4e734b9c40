"""ci/citations on fixtures: a spec (spec/rfc9999.md) and source files whose
citations are all right (right/) or each wrong in one way (wrong/). Run by
ctest docs:citations-checker:
    python3 ci/citations_tests/test_citations.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(os.path.dirname(HERE), "citations")


def run(*args, env=None):
    p = subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True,
                       timeout=60, env=env)
    return p.returncode, p.stdout + p.stderr


class Checker(unittest.TestCase):
    def test_right_citations_pass(self):
        rc, out = run("--spec", os.path.join(HERE, "spec"), os.path.join(HERE, "right"))
        self.assertEqual(rc, 0, out)
        self.assertIn("5 citations, 5 right (1 SCSI ones checked for form only), 0 wrong", out)

    def test_each_wrong_citation_is_named(self):
        with tempfile.TemporaryDirectory() as tmp:
            report = os.path.join(tmp, "wrong.json")
            rc, out = run("--spec", os.path.join(HERE, "spec"), "--list", "--json", report,
                          os.path.join(HERE, "wrong"))
            with open(report) as f:
                wrong = json.load(f)["wrong"]
        self.assertEqual(rc, 1, out)
        self.assertIn("6 citations, 0 right", out)
        reasons = {w["line"]: w["reason"] for w in wrong}
        self.assertIn("not in rfc9999 section 2.2", reasons[4])
        self.assertIn("not in rfc9999 section 2.1: \"The sender increments", reasons[9])
        self.assertIn("not in rfc9999 section 2.1: \"A sender MUST", reasons[14])
        self.assertEqual(reasons[18], "rfc9999 has no section 7")
        self.assertEqual(reasons[22], "no //# quote")
        self.assertIn("not a citation id", reasons[25])
        self.assertIn("wrong/wrong.cpp:4: rfc9999#section-2.2", out)

    def test_max_wrong(self):
        rc, _ = run("--spec", os.path.join(HERE, "spec"), "--max-wrong", "6", os.path.join(HERE, "wrong"))
        self.assertEqual(rc, 0)

    def test_a_missing_spec_is_an_error_or_a_skip(self):
        env = dict(os.environ)
        env.pop("CI", None)
        with tempfile.TemporaryDirectory() as empty:
            args = ["--spec", empty, os.path.join(HERE, "right")]
            self.assertEqual(run(*args, env=env)[0], 2)
            self.assertEqual(run("--skip-if-missing", *args, env=env)[0], 77)
            env["CI"] = "true"  # CI lays the spec texts beside its clone
            rc, out = run("--skip-if-missing", *args, env=env)
            self.assertEqual(rc, 2)
            self.assertIn("rfc9999.md is missing", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
