"""The JSON report and duvet's snapshot format.

duvet's snapshot (awslabs/duvet, duvet/src/report/snapshot.rs, report_target
and RefStatus's Display) is:
  SPECIFICATION: [title](path)
    SECTION: [section title](#section-id)
      TEXT[!MUST,implementation,test]: text
one TEXT line per line of requirement text, a blank line between sections,
the status list being the level (`!MUST`, `!SHOULD`, `!MAY`) then
`implementation`, `test` as cited. Here a TEXT line is a whole sentence."""
import json

TITLES = {"rfc7143": "Internet Small Computer System Interface (iSCSI) Protocol (Consolidated)"}


def as_json(entries, rfc):
    items = [{
        "section": e.requirement.section,
        "level": e.requirement.level,
        "side": e.side,
        "side_reviewed": e.row.reviewed == "yes",
        "status": e.status,
        "not_implemented_yet": e.deferred,
        "text": e.requirement.text,
        "implemented_by": e.implemented_by,
        "tested_by": e.tested_by,
        "reasons": {missing: {"category": r.category, "reason": r.reason}
                    for missing, r in e.reasons.items()},
    } for e in entries]
    return json.dumps({"specification": rfc, "requirements": items}, indent=1) + "\n"


def duvet_status(entry):
    status = ["!" + entry.requirement.level.upper()]
    if entry.implemented_by:
        status.append("implementation")
    if entry.tested_by:
        status.append("test")
    return ",".join(status)


def anchor(section):
    return f"appendix-{section}" if section.isalpha() else f"section-{section}"


def as_duvet(entries, spec, rfc):
    title = TITLES.get(rfc, rfc.upper())
    lines = [f"SPECIFICATION: [{title}](https://www.rfc-editor.org/rfc/{rfc})"]
    current = None
    for e in entries:
        section = e.requirement.section
        if section != current:
            if current is not None:
                lines.append("")
            lines.append(f"  SECTION: [{spec.titles.get(section, section)}](#{anchor(section)})")
            current = section
        lines.append(f"    TEXT[{duvet_status(e)}]: {e.requirement.text}")
    return "\n".join(lines) + "\n"
