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
// The loop also bounds what httplib's parser reads of a request's head (k_line_limit,
// k_head_limit): httplib reads a line until its newline, however long, and any number of fields.
//
// Private to daemon/http (http_server.cpp): it includes httplib.h.

#include <httplib.h>

#include <chrono>
#include <cstddef>

namespace redress::http {

// How long a lingering close waits for the rest of a refused body.
constexpr std::chrono::seconds k_linger_time{5};

// How many connections linger at once. httplib serves connections on a pool of threads (8 here)
// and a lingering close holds its thread for up to k_linger_time; past this many, a refused
// connection closes at once (its client may see a reset instead of the answer), so that a flood
// of refused bodies leaves the other threads to serve.
constexpr int k_most_lingering = 2;

// The longest request line or header field line (a chunk's size line too), and the longest head
// (request line and header fields) the server reads. A request over either is answered 414 (its
// request line) or 431 (its header fields) without reading further, and the connection closes.
constexpr std::size_t k_line_limit = std::size_t{8} * 1024;
constexpr std::size_t k_head_limit = std::size_t{64} * 1024;

// Which line of a request was over its limit. A chunk's size line over it makes the body
// unreadable: the route's reader fails and the answer is its 400.
enum class Overlong { none, request_line, header, chunk_line };

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
