// A short iSCSI session, one legal PDU of each of the 18 types, built with
// the codec's builders: the input of the external (tshark) oracle.
#pragma once

#include <vector>

#include "touchstone/pdu/pdu.hpp"

namespace touchstone::pdu::test {

// The PDUs in wire order, initiator and target interleaved as a real
// session would send them: login, discovery text, a READ, a WRITE with R2T,
// a NOP ping, a TMF, a SNACK and its Reject, an Async Message, logout.
// negotiate_digests makes the login ask for HeaderDigest and DataDigest CRC32C.
std::vector<pdu> every_type_session(bool negotiate_digests);

}  // namespace touchstone::pdu::test
