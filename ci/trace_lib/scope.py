"""Requirements the reference target does not take on yet: error recovery
levels 1 and 2 and multiple connections per session (the target negotiates
ErrorRecoveryLevel=0 and MaxConnections=1). They are counted and listed as
"not implemented yet" in the report, not left out."""
import re

DEFERRED_SECTIONS = {
    "4.2.5.1": "MC/S (command connection allegiance)",
    "7.1.4.1": "ERL 1 (recovery within a command)",
    "7.1.4.2": "ERL 1 (recovery within a connection)",
    "7.1.4.3": "ERL 2 (connection recovery)",
    "7.2": "ERL 1/2 (retry and allegiance reassignment)",
    "11.16": "ERL 1 (SNACK)",
    "D": "ERL 1/2 (the recovery classes' algorithms)",
}
# What a target that does not support them must answer is ERL 0 behaviour.
NOT_SUPPORTED = re.compile(r"not support|not supported", re.I)
DEFERRED_WORDS = [
    (re.compile(r"TASK REASSIGN|allegiance reassignment", re.I), "ERL 2 (task reassign)"),
]


def deferred_reason(requirement):
    """Why a requirement is not implemented yet, or None."""
    section = requirement.section
    for prefix, reason in DEFERRED_SECTIONS.items():
        if section == prefix or section.startswith(prefix + "."):
            return reason
    for words, reason in DEFERRED_WORDS:
        if words.search(requirement.text) and not NOT_SUPPORTED.search(requirement.text):
            return reason
    return None
