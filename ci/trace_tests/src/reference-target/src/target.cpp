// Implementation citations: a fragment inside a sentence, a quote over
// two sentences, a quote that runs into the next sentence without its key word.

//= rfc9998#section-6.1
//# The target MUST answer every command
void answer();

//= rfc9998#section-6.1
//# The target MUST keep a
//# log and it MUST NOT lose it.  A ping is a command.
void log();

//= rfc9998#section-6.1
//# The initiator MUST wait for the answer. The target
void wait_for_it();

// A `type=test` line makes a citation in a source file a test citation.
//= rfc9998#section-6.1
//= type=test
//# Implementations SHALL keep
//# counters.
void counters_checked();

// A wrong citation counts for nothing.
//= rfc9998#section-6.1
//# The target MUST sing.
void wrong();
