// The mutants of the digests on what the target sends (mutant.hpp, wave 5A).
// The transport computes the digests when it encodes a PDU; a mutant that
// bends them computes them here instead, puts them where the encoder writes
// the AHS or the data (the BHS lengths stay as they are: pdu::encode writes a
// PDU exactly as given) and turns the transport's own digest off.
#pragma once

#include "touchstone/pdu/pdu.hpp"
#include "touchstone/target/mutant.hpp"

namespace touchstone::target {

// Breaks the digests of `p` as the mutants in `set` ask
// (digest-byte-order-swapped, data-digest-excludes-padding,
// data-digest-on-empty-segment, header-digest-without-negotiation); `d` is
// what the transport would add, `full_feature` whether the connection is in
// the Full Feature Phase. None of them: untouched.
void mutate_digests(const mutant_set& set, pdu::pdu& p, pdu::digest_config& d, bool full_feature);

}  // namespace touchstone::target
