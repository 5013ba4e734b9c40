// A conformance case: its citations are test citations.

//= rfc9998#section-6.1
//# The initiator
//# MUST NOT send a command before login.
void before_login();

//= rfc9998#section-7.2
//# MUST carry its first tag
void retry();
