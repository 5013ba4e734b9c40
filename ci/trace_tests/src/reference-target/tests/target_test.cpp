// A test file: its citations are test citations.

//= rfc9998#section-6.1
//# The target MUST answer every command, e.g., a read.
void answers();

//= rfc9998#section-6.1
//# it MUST NOT lose it
void keeps_the_log();
