// Citations ci/citations must accept.

//= rfc9999#section-2.1
//# A sender MUST increment the counter by one for every
//# message it sends, and it MUST NOT skip a value.
int counter();

//= rfc9999#section-2.1
//= type=test
//# A sender MUST increment the counter ... it MUST NOT skip a value.
int counter_test();

// A table row as the RFC prints it: its bars are ignored.
//= rfc9999#section-2.2
//# Missing       | 0207 | Missing parameters (e.g., iSCSI
//# ...
//# Initiator Name and/or Target Name).
int codes();

//= rfc9999#appendix-A
//# An example is not a rule.
int example();

//= spc4#table-42
//# A SCSI citation is checked for its form only.
int scsi();
