#pragma once
// cpp-httplib's server with a connection loop of our own, so that a route can refuse a body it has
// not read and the client still reads the refusal.
//
// httplib's own loop offers no way to end a connection from a route: the bytes of a body left
// unread are taken as the next request, and a socket closed while the client still sends resets
// the connection, so the client sees a broken pipe instead of the answer. Here a route calls
// end_connection_after_answer(); once its answer is written the loop shuts down its side of the
// connection and reads and drops what the client still sends, at most `drain` bytes and for at
// most a few seconds, before it closes: the lingering close of RFC 9112 9.6.
//
// Private to daemon/http (http_server.cpp): it includes httplib.h.

#include <httplib.h>

#include <chrono>
#include <cstddef>

namespace redress::http {

// How long a lingering close waits for the rest of a refused body.
constexpr std::chrono::seconds k_linger_time{5};

// Called on the thread that runs a route: the connection ends after the answer being built, with
// a lingering close that drops at most `drain` bytes of what the client still sends.
void end_connection_after_answer(std::size_t drain);

class LingeringServer final : public httplib::Server {
private:
    // Replaces httplib's loop over the requests of one connection (keep-alive count and timeout,
    // read and write timeouts as httplib's setters set them).
    bool process_and_close_socket(socket_t sock) override;
};

}  // namespace redress::http
