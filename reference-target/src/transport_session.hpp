// One accepted TCP connection, served on the io_context of one I/O thread
// (private to the transport). `core` is the instance lock: it guards the instance and every
// connection core, which management reads; SCSI commands run outside it.
#pragma once

#include <asio.hpp>
#include <mutex>

#include "touchstone/target/connection_admission.hpp"

namespace touchstone::target {

class instance;

// Serves `socket` (on its io_context, run by one thread) until it closes;
// admitted from `from` (connection_admission), it is released when it does.
void serve_connection(asio::ip::tcp::socket socket, instance& targets, std::mutex& core,
                      const peer_address& from);

// Until every SCSI answer a store thread owes a connection has been posted
// to its context: the server calls it before its contexts are destroyed.
void wait_for_storage_jobs();

}  // namespace touchstone::target
