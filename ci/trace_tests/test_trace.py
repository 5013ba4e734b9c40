"""ci/trace on fixtures: a spec with a target and an initiator
(spec/rfc9998.md), its side table (sides.tsv), its reasons table
(reasons.tsv), and sources whose citations quote it as implementation
(src/reference-target/src/), test file (src/reference-target/tests/),
conformance case (src/conformance/cases/) and engine check
(src/conformance/src/).
Run by ctest docs:trace-checker:
    python3 ci/trace_tests/test_trace.py
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import types
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
CI = os.path.dirname(HERE)
TOOL = os.path.join(CI, "trace")
SPEC = os.path.join(HERE, "spec")
SIDES = os.path.join(HERE, "sides.tsv")
REASONS = os.path.join(HERE, "reasons.tsv")
SOURCES = os.path.join(HERE, "src")
CITATIONS_SPEC = os.path.join(CI, "citations_tests", "spec")  # ci/citations' fixture
sys.path.insert(0, CI)
from trace_lib import coverage, reasons, report, requirements, sides  # noqa: E402


def run(*args, env=None, reasons_table=REASONS):
    p = subprocess.run([sys.executable, TOOL, "--rfc", "rfc9998", "--spec", SPEC,
                        "--root", SOURCES, "--reasons", reasons_table, *args],
                       capture_output=True, text=True,
                       timeout=60, env=env)
    return p.returncode, p.stdout + p.stderr


def fixture():
    return requirements.load_spec(os.path.join(SPEC, "rfc9998.md"))


def by_text(spec):
    return {r.text: r for r in spec.requirements}


class Levels(unittest.TestCase):
    def test_each_key_word_gives_its_level(self):
        self.assertEqual(requirements.level_of("The target MUST NOT stop."), "must")
        self.assertEqual(requirements.level_of("It SHALL be so."), "must")
        self.assertEqual(requirements.level_of("A digest is REQUIRED."), "must")
        self.assertEqual(requirements.level_of("It is NOT RECOMMENDED."), "should")
        self.assertEqual(requirements.level_of("It is OPTIONAL."), "may")
        self.assertEqual(requirements.level_of("An initiator MAY ping but MUST wait."), "must")
        self.assertIsNone(requirements.level_of("The words \"MUST\" and \"SHALL NOT\" are defined."))
        self.assertIsNone(requirements.level_of("It must be lower case to count."))
        self.assertIsNone(requirements.level_of("It sets MUTUAL-REQUIRED in the options."))

    def test_fixture_sentences(self):
        spec = fixture()
        levels = [(r.section, r.level) for r in spec.requirements]
        self.assertEqual(levels, [("6.1", "must"), ("6.1", "must"), ("6.1", "should"),
                                  ("6.1", "may"), ("6.1", "must"), ("6.1", "should"),
                                  ("6.1", "must"), ("6.1", "must"), ("6.1", "must"),
                                  ("7.2", "must"), ("15", "must")])
        texts = by_text(spec)
        self.assertIn("The target MUST answer every command, e.g., a read.", texts)
        self.assertIn("The initiator MUST wait for the answer.", texts)  # after a page break
        self.assertEqual(spec.titles["6.1"], "Commands")

    def test_a_pdu_figure_is_not_part_of_the_next_sentence(self):
        text = "0 Opcode 4 TotalAHSLength 48 Header-Digest (optional) The target MUST answer."
        self.assertEqual([r.text for r in requirements.requirements_of("6.1", text)],
                         ["The target MUST answer."])

    def test_skipped_sections(self):
        sections = {r.section for r in fixture().requirements}
        self.assertNotIn("2.3", sections)  # Summary of Changes
        self.assertNotIn("2.4", sections)  # only definitions of the key words
        self.assertNotIn("16", sections)  # References

    def test_ci_citations_fixture(self):
        spec = requirements.load_spec(os.path.join(CITATIONS_SPEC, "rfc9999.md"))
        self.assertEqual([(r.section, r.level) for r in spec.requirements],
                         [("2.1", "must"), ("2.1", "should")])


class SideTable(unittest.TestCase):
    def test_lookup_by_section_and_key(self):
        rows = sides.index(sides.load(SIDES))
        spec = fixture()
        looked_up = {r.text: rows[(r.section, r.key)].side for r in spec.requirements}
        self.assertEqual(looked_up["The initiator MUST NOT send a command before login."], "initiator")
        self.assertEqual(looked_up["Implementations SHALL keep counters."], "both")
        # the key is the first 60 characters of the sentence
        long = "The target MUST close the connection when the initiator does not wait."
        self.assertEqual(requirements.sentence_key(long), long[:60])
        self.assertEqual(looked_up[long], "target")

    def test_missing_and_stale_rows(self):
        rows = sides.load(SIDES)
        spec = fixture()
        self.assertEqual(sides.missing_and_stale(rows, spec.requirements), ([], []))
        extra = sides.Row("6.1", "The target MUST dance.", "target")
        missing, stale = sides.missing_and_stale(rows[1:] + [extra], spec.requirements)
        self.assertEqual([r.key for r in missing], [rows[0].key])
        self.assertEqual(stale, [extra])

    def test_a_bad_side_is_refused(self):
        with self.assertRaises(ValueError):
            sides.parse(["6.1\tkey\tserver\tyes\n"])

    def test_first_guess(self):
        guesses = {r.text: sides.first_guess(r, None) for r in fixture().requirements}
        self.assertEqual(guesses["The target MUST answer every command, e.g., a read."], "target")
        self.assertEqual(guesses["An initiator MAY send a ping."], "initiator")
        self.assertEqual(guesses["Implementations SHALL keep counters."], "both")
        self.assertEqual(guesses["IANA MUST register port 9998."], "neither")
        # the subject is the last end named before the key word
        self.assertEqual(guesses["The target MUST close the connection when the initiator does not wait."],
                         "target")


class Overlap(unittest.TestCase):
    def setUp(self):
        self.spec = fixture()
        self.text = self.spec.sections["6.1"]
        self.reqs = by_text(self.spec)

    def matched(self, quote, sentence):
        spans = coverage.fragment_spans(quote, self.text)
        self.assertTrue(spans, quote)
        cite = coverage.Citation("x:1", "6.1", "target", spans)
        return coverage.matches(cite, self.reqs[sentence])

    def test_a_fragment_inside_the_sentence(self):
        self.assertTrue(self.matched("answer every command", "The target MUST answer every command, e.g., a read."))

    def test_a_fragment_over_the_whole_sentence(self):
        self.assertTrue(self.matched("quickly. An initiator MAY send a ping. Implementations",
                                     "An initiator MAY send a ping."))

    def test_a_fragment_over_the_start_needs_the_key_word(self):
        self.assertFalse(self.matched("send a ping. Implementations", "Implementations SHALL keep counters."))
        self.assertTrue(self.matched("send a ping. Implementations SHALL keep",
                                     "Implementations SHALL keep counters."))

    def test_a_fragment_over_the_end_needs_the_key_word(self):
        self.assertFalse(self.matched("keep counters. It is", "It is NOT RECOMMENDED to sleep."))
        self.assertTrue(self.matched("The target MUST keep a log and it MUST NOT lose it. A ping",
                                     "The target MUST keep a log and it MUST NOT lose it."))

    def test_another_section_never_matches(self):
        spans = coverage.fragment_spans("The target MUST answer", self.text)
        cite = coverage.Citation("x:1", "7.2", "target", spans)
        self.assertFalse(coverage.matches(cite, self.reqs["The target MUST answer every command, e.g., a read."]))


class Kinds(unittest.TestCase):
    def test_kind_of_a_citation(self):
        self.assertEqual(coverage.kind_of("reference-target/src/a.cpp", False), "target")
        self.assertEqual(coverage.kind_of("scsi/src/a.cpp", False), "target")
        self.assertEqual(coverage.kind_of("pdu/include/a.hpp", False), "target")
        self.assertEqual(coverage.kind_of("conformance/src/engine.cpp", False), "check")
        self.assertEqual(coverage.kind_of("fuzz/net/oracle.cpp", False), "check")
        self.assertEqual(coverage.kind_of("pdu/src/a.cpp", True), "test")

    def test_a_check_tests_a_target_rule_and_implements_an_initiator_rule(self):
        hits = [coverage.Citation(k + ":1", "6.1", k, []) for k in coverage.KINDS]
        self.assertEqual(coverage.implemented_and_tested(hits, "target"),
                         (["target:1"], ["test:1", "check:1"]))
        self.assertEqual(coverage.implemented_and_tested(hits, "both"),
                         (["target:1"], ["test:1", "check:1"]))
        self.assertEqual(coverage.implemented_and_tested(hits, "initiator"),
                         (["target:1", "check:1"], ["test:1"]))


class ReasonTable(unittest.TestCase):
    def test_rows(self):
        rows = reasons.load(REASONS)
        self.assertEqual([(r.section, r.missing, r.category) for r in rows],
                         [("6.1", "implementation", "not-done")])

    def test_bad_rows_are_refused(self):
        for line in ["6.1\tkey\tcode\tnot-done\twhy\n",  # missing: implementation or test
                     "6.1\tkey\ttest\tlater\twhy\n",  # not a category
                     "6.1\tkey\ttest\tnot-done\t\n",  # no reason
                     "6.1\tkey\ttest\tnot-done\n"]:
            with self.assertRaises(ValueError, msg=line):
                reasons.parse([line])


class InScope(unittest.TestCase):
    @staticmethod
    def entry(side, implemented, tested, gaps):
        return report.Entry(types.SimpleNamespace(level="must", section="6.1", key="k"),
                            types.SimpleNamespace(side=side), implemented, tested, None,
                            {m: reasons.Reason("6.1", "k", m, c, "why") for m, c in gaps.items()})

    def test_deferred_and_not_applicable_gaps_leave_the_denominator(self):
        entries = [self.entry("target", ["t.cpp:1"], ["t_test.cpp:1"], {}),
                   self.entry("both", [], [], {"implementation": "not-applicable",
                                               "test": "not-applicable"}),
                   self.entry("target", [], [], {"implementation": "deferred", "test": "not-done"}),
                   self.entry("target", [], ["t_test.cpp:2"], {"implementation": "not-done"}),
                   self.entry("initiator", [], [], {})]  # not target + both: not counted
        (impl, test) = report.in_scope(entries)
        self.assertEqual(impl, ("implementation", 4, {"deferred": 1, "not-applicable": 1}, 2, 1, "50%"))
        self.assertEqual(test, ("test", 4, {"deferred": 0, "not-applicable": 1}, 3, 2, "67%"))


class Outputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.md = os.path.join(cls.tmp, "traceability.md")
        report, snapshot = os.path.join(cls.tmp, "r.json"), os.path.join(cls.tmp, "snapshot.txt")
        cls.rc, cls.out = run("--sides", SIDES, "--markdown", cls.md, "--json", report, "--duvet", snapshot)
        with open(report) as f:
            cls.json = {r["text"]: r for r in json.load(f)["requirements"]}
        with open(snapshot) as f:
            cls.snapshot = f.read()
        with open(cls.md) as f:
            cls.markdown = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def status(self, text):
        return self.json[text]["status"]

    def test_statuses(self):
        self.assertEqual(self.rc, 0, self.out)
        self.assertEqual(self.status("The target MUST answer every command, e.g., a read."), "both")
        self.assertEqual(self.status("The initiator MUST NOT send a command before login."), "tested")
        self.assertEqual(self.status("Implementations SHALL keep counters."), "tested")  # type=test
        self.assertEqual(self.status("The target MUST keep a log and it MUST NOT lose it."), "both")
        self.assertEqual(self.status("The initiator MUST wait for the answer."), "implemented")
        self.assertEqual(self.status(
            "The target MUST close the connection when the initiator does not wait."), "neither")
        self.assertEqual(self.status("The target SHOULD answer quickly."), "tested")  # an engine check
        self.assertEqual(self.status("An initiator MAY send a ping."), "implemented")  # the engine does it

    def test_json_names_the_citations(self):
        entry = self.json["The target MUST answer every command, e.g., a read."]
        self.assertEqual(entry["implemented_by"], ["reference-target/src/target.cpp:4"])
        self.assertEqual(entry["tested_by"], ["reference-target/tests/target_test.cpp:3"])
        before_login = self.json["The initiator MUST NOT send a command before login."]
        self.assertEqual(before_login["implemented_by"], [])  # type=test on the //= line
        self.assertEqual(sorted(before_login["tested_by"]),
                         ["conformance/cases/login.cpp:3", "conformance/src/engine.cpp:15"])
        self.assertEqual((entry["section"], entry["level"], entry["side"]), ("6.1", "must", "target"))
        self.assertEqual(self.json["A retried command MUST carry its first tag."]["not_implemented_yet"],
                         "ERL 1/2 (retry and allegiance reassignment)")

    def test_json_gives_the_reasons(self):
        close = self.json["The target MUST close the connection when the initiator does not wait."]
        self.assertEqual(close["reasons"], {"implementation": {
            "category": "not-done", "reason": "the fixture target never closes"}})
        retry = self.json["A retried command MUST carry its first tag."]
        self.assertEqual(retry["reasons"], {"implementation": {
            "category": "deferred", "reason": "ERL 1/2 (retry and allegiance reassignment)"}})

    def test_markdown(self):
        self.assertIn("Generated by `ci/trace`", self.markdown)
        self.assertIn("MUST sentences: **8**.", self.markdown)
        self.assertIn("| target | 3 | 0 | 0 | 2 | 1 | 67% | 67% |", self.markdown)
        self.assertIn("- 6.1 [target] not implemented (not-done: the fixture target never closes); "
                      "not tested (no reason given): The target MUST close the connection", self.markdown)
        self.assertIn("- 7.2 [both] not implemented (deferred: ERL 1/2 (retry and allegiance "
                      "reassignment)): A retried command", self.markdown)
        self.assertNotIn("- 6.1 [initiator]", self.markdown)  # initiator-side MUSTs are not listed
        self.assertIn("| deferred | 1 | 0 |", self.markdown)
        self.assertIn("| not-done | 1 | 0 |", self.markdown)
        self.assertIn("| no reason given | 1 | 1 |", self.markdown)
        self.assertIn("| 6.1 | Commands | 6 | 2 | 1 | 3 / 4 | 1 |", self.markdown)
        # In scope: the deferred 7.2 MUST leaves the implemented denominator only.
        self.assertIn("| implemented | 5 | 40% | 1 | 0 | 4 | 2 | 50% |", self.markdown)
        self.assertIn("| tested | 5 | 80% | 0 | 0 | 5 | 4 | 80% |", self.markdown)
        self.assertIn("in scope (without deferred and not-applicable gaps): "
                      "implemented 50% of 4, tested 80% of 5", self.out)

    def test_duvet_snapshot(self):
        lines = self.snapshot.splitlines()
        self.assertTrue(lines[0].startswith("SPECIFICATION: [RFC9998](https://www.rfc-editor.org/rfc/rfc9998)"))
        self.assertEqual(lines[1], "  SECTION: [Commands](#section-6.1)")
        self.assertEqual(lines[2], "    TEXT[!MUST,implementation,test]: "
                                   "The target MUST answer every command, e.g., a read.")
        self.assertIn("    TEXT[!SHOULD,test]: The target SHOULD answer quickly.", lines)
        self.assertIn("    TEXT[!MUST,test]: A retried command MUST carry its first tag.", lines)
        self.assertIn("", lines)  # a blank line between sections


class Check(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.md = os.path.join(self.tmp, "traceability.md")
        self.sides = os.path.join(self.tmp, "sides.tsv")
        shutil.copy(SIDES, self.sides)
        self.assertEqual(run("--sides", self.sides, "--markdown", self.md)[0], 0)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def check(self):
        return run("--check", "--sides", self.sides, "--markdown", self.md)

    def test_a_current_report_passes(self):
        rc, out = self.check()
        self.assertEqual(rc, 0, out)

    def test_an_old_report_fails(self):
        with open(self.md, "a") as f:
            f.write("an edit\n")
        rc, out = self.check()
        self.assertEqual(rc, 1)
        self.assertIn("is not current", out)

    def test_a_stale_row_fails(self):
        with open(self.sides, "a") as f:
            f.write("6.1\tThe target MUST dance.\ttarget\tyes\t\n")
        rc, out = self.check()
        self.assertEqual(rc, 1)
        self.assertIn("stale side row (no such requirement) 6.1: The target MUST dance.", out)

    def stale_reason(self, row):
        table = os.path.join(self.tmp, "reasons.tsv")
        shutil.copy(REASONS, table)
        with open(table, "a") as f:
            f.write(row)
        return run("--check", "--sides", self.sides, "--markdown", self.md, reasons_table=table)

    def test_a_reason_for_no_requirement_fails(self):
        rc, out = self.stale_reason("6.1\tThe target MUST dance.\ttest\tnot-done\tno music\n")
        self.assertEqual(rc, 1)
        self.assertIn("stale reason row (no such requirement) 6.1: The target MUST dance. [test]", out)

    def test_a_reason_for_a_closed_gap_fails(self):
        rc, out = self.stale_reason("6.1\tThe target MUST answer every command, e.g., a read.\t"
                                    "implementation\tnot-done\tit does not\n")
        self.assertEqual(rc, 1)
        self.assertIn("stale reason row (it is implemented now) 6.1: The target MUST answer", out)

    def test_a_missing_row_fails_and_update_sides_adds_it(self):
        with open(self.sides) as f:
            lines = f.readlines()
        with open(self.sides, "w") as f:
            f.writelines(line for line in lines if "IANA" not in line)
        rc, out = self.check()
        self.assertEqual(rc, 1)
        self.assertIn("no side row for 15: IANA MUST register port 9998.", out)
        run("--update-sides", "--sides", self.sides, "--markdown", self.md)
        with open(self.sides) as f:
            self.assertIn("15\tIANA MUST register port 9998.\tneither\tno\t\n", f.read())
        self.assertEqual(self.check()[0], 0)

    def test_a_missing_spec_is_a_skip_except_in_ci(self):
        env = dict(os.environ)
        env.pop("CI", None)
        args = ["--check", "--spec", self.tmp, "--sides", self.sides, "--markdown", self.md]
        rc, out = run(*args, env=env)
        self.assertEqual(rc, 77, out)
        env["CI"] = "true"  # CI lays the spec texts beside its clone
        rc, out = run(*args, env=env)
        self.assertEqual(rc, 2)
        self.assertIn("rfc9998.md is missing", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
