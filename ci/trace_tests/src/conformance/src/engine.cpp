// The conformance engine (not a case, not a test): its citations are checks.
// A check of a target-side rule makes it tested; the engine doing an
// initiator-side rule makes it implemented.

//= rfc9998#section-6.1
//# The target SHOULD answer quickly.
void judge_the_answer_time();

//= rfc9998#section-6.1
//# An initiator MAY send a ping.
void ping();

// type=test on the //= line makes it a test citation too (a fuzz oracle's
// check of an initiator-side rule is no implementation of it).
//= rfc9998#section-6.1 type=test
//# The initiator MUST NOT send a command
void judge_the_initiator();
