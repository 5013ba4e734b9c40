// Citations ci/citations must refuse, one per kind of mistake.

// The words are in section 2.1, not in 2.2.
//= rfc9999#section-2.2
//# The receiver SHOULD ignore a counter it has already seen.
int wrong_section();

// A paraphrase is not a quote.
//= rfc9999#section-2.1
//# The sender increments the counter and never skips.
int paraphrase();

// Fragments out of order.
//= rfc9999#section-2.1
//# it MUST NOT skip a value ... A sender MUST increment the counter
int out_of_order();

//= rfc9999#section-7
//# A section the RFC does not have.
int no_section();

//= rfc9999#section-2.1
int no_quote();

//= rfc7143-section-2
//# Not a citation id.
int bad_id();
