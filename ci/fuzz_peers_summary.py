"""DIR/summary.md for ci/fuzz-peers: per peer the run's report (DIR/<peer>.json)
and its distinct findings (DIR/<peer>/<kind>-<hash>/finding.json).
Usage: python3 ci/fuzz_peers_summary.py DIR PEER..."""
import glob
import json
import os
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def cell(text, width=120):
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 3] + "..."


def peer_section(out, peer):
    lines = [f"## {peer}", ""]
    exit_text = open(os.path.join(out, f"{peer}.exit")).read().strip() if os.path.exists(
        os.path.join(out, f"{peer}.exit")) else "?"
    report = load(os.path.join(out, f"{peer}.json"))
    if report is None:
        return lines + [f"No report (touchstone-fuzz exited {exit_text}; see {peer}.log).", ""]
    lines += [
        f"- touchstone-fuzz exited {exit_text}; stopped: {report['stopped']}",
        f"- {report['sessions']} sessions in {report['seconds']:.0f} s "
        f"({report['sessions_per_second']:.1f}/s), {report['pdus']} PDUs ({report['pdus_per_second']:.0f}/s)",
        f"- {report['transitions']} transitions, corpus {report['corpus']}, "
        f"restarts {report.get('restarts', 0)}",
        "- findings (every occurrence) by kind: "
        + (", ".join(f"{k} {n}" for k, n in sorted(report["findings"].items())) or "none"),
        f"- distinct findings: {report['distinct_findings']}; unconfirmed stalls (occurrences no replay "
        f"showed again): {report.get('unconfirmed', 0)}",
        f"- canary rounds {report.get('integrity_rounds', 0)}, blocks checked "
        f"{report.get('integrity_blocks_checked', 0)}; program groups {report.get('groups', 0)}",
        "",
    ]
    rows = []
    for path in sorted(glob.glob(os.path.join(out, peer, "*-*", "finding.json"))):
        f = load(path)
        if f is None:
            continue
        folder = os.path.relpath(os.path.dirname(path), out)
        what = f.get("target_exit") or f.get("liveness") or ""
        if f.get("requirement"):
            what = f["requirement"] + (": " + f["departures"][0]["summary"] if f.get("departures") else "")
        # The target's own last line, not its recipe's ("tgt-serve: tgtd exited ...").
        own = [t for t in f.get("stderr_tail") or []
               if not t.startswith(("tgt-serve:", "istgt-serve:")) and "-serve: line " not in t]
        tail = own[-1] if own else ""
        rows.append(f"| {folder} | {f['kind']} | {cell(f['signature'])} | {cell(what)} | {cell(tail, 80)} |")
    if rows:
        lines += ["| folder | kind | signature | what the target did | last stderr line |",
                  "|---|---|---|---|---|"] + rows + [""]
    return lines


def main():
    out, peers = sys.argv[1], sys.argv[2:]
    lines = ["# ci/fuzz-peers summary", ""]
    for peer in peers:
        lines += peer_section(out, peer)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
