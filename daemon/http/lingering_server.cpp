#include "lingering_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace redress::http {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Set by a route (end_connection_after_answer) on the thread that serves the connection, read by
// that thread's loop once the answer is written. httplib runs a connection's requests and their
// routes on one thread of its pool, so the flag needs no lock and belongs to one connection.
thread_local std::optional<std::size_t> t_linger;

milliseconds as_duration(time_t seconds, time_t microseconds)
{
    return milliseconds(seconds * 1000 + microseconds / 1000);
}

// True once `fd` is ready for `events`; false after `timeout` or on an error.
bool ready(int fd, short events, milliseconds timeout)
{
    pollfd watched{fd, events, 0};
    int n = 0;
    do
        n = ::poll(&watched, 1, static_cast<int>(timeout.count()));
    while (n < 0 && errno == EINTR);
    return n > 0;
}

ssize_t receive(int fd, char* into, std::size_t size)
{
    ssize_t n = 0;
    do
        n = ::recv(fd, into, size, 0);
    while (n < 0 && errno == EINTR);
    return n;
}

void address_of(const sockaddr_storage& address, std::string& ip, int& port)
{
    std::array<char, INET6_ADDRSTRLEN> text{};
    if (address.ss_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&address);
        ::inet_ntop(AF_INET, &in->sin_addr, text.data(), text.size());
        port = ntohs(in->sin_port);
    } else if (address.ss_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address);
        ::inet_ntop(AF_INET6, &in6->sin6_addr, text.data(), text.size());
        port = ntohs(in6->sin6_port);
    }
    ip = text.data();
}

// One connection as httplib reads and writes it. Reads go through a buffer (httplib reads the
// request line and headers a byte at a time) that lives as long as the connection, so bytes of a
// pipelined next request stay with it; each read and write waits at most its timeout.
class SocketStream final : public httplib::Stream {
public:
    SocketStream(int fd, milliseconds read_timeout, milliseconds write_timeout)
        : m_fd(fd)
        , m_read_timeout(read_timeout)
        , m_write_timeout(write_timeout)
    {
    }

    bool buffered() const { return m_offset < m_size; }

    // A new request begins: its request line and header fields are counted from here.
    void begin_request()
    {
        m_in_head = true;
        m_head_bytes = 0;
        m_line_bytes = 0;
        m_lines = 0;
        m_last = '\0';
    }

    // What was over its limit, once a read was refused for it; the stream then reads no more.
    Overlong overlong() const { return m_overlong; }
    bool refused_head() const { return m_overlong == Overlong::request_line || m_overlong == Overlong::header; }

    bool is_readable() const override
    {
        return m_overlong == Overlong::none && (buffered() || ready(m_fd, POLLIN, m_read_timeout));
    }
    bool is_writable() const override { return ready(m_fd, POLLOUT, m_write_timeout); }

    ssize_t read(char* into, std::size_t size) override
    {
        if (m_overlong != Overlong::none)
            return -1;
        ssize_t n = read_bytes(into, size);
        if (n > 0 && !count(std::string_view(into, static_cast<std::size_t>(n)))) {
            m_overlong = !m_in_head ? Overlong::chunk_line : m_lines == 0 ? Overlong::request_line : Overlong::header;
            return -1;
        }
        return n;
    }

    ssize_t write(const char* from, std::size_t size) override
    {
        // httplib answers a head it could not read with 400; ours (414 or 431) is written instead.
        if (refused_head() || !is_writable())
            return -1;
        return send_all(from, size);
    }

    ssize_t send_all(const char* from, std::size_t size) const
    {
        ssize_t n = 0;
        do
            n = ::send(m_fd, from, size, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n;
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override
    {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (::getpeername(m_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            address_of(address, ip, port);
    }

    void get_local_ip_and_port(std::string& ip, int& port) const override
    {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (::getsockname(m_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0)
            address_of(address, ip, port);
    }

    socket_t socket() const override { return m_fd; }

private:
    // httplib reads a line (the request line, a header field, a chunk's size line) a byte at a time
    // into a string that grows until a newline comes, and takes any number of header fields.
    // Counting here bounds both: a line longer than k_line_limit, or a head (request line and
    // fields up to the empty line) longer than k_head_limit, is refused before another byte is
    // read. After the head only reads of one byte are lines (a body is read in pieces).
    bool count(std::string_view bytes)
    {
        if (!m_in_head && bytes.size() > 1) {
            m_line_bytes = 0;
            return true;
        }
        for (char c : bytes) {
            ++m_line_bytes;
            if (m_in_head && ++m_head_bytes > k_head_limit)
                return false;
            if (c == '\n') {
                // An empty line ("\r\n") after the request line ends the head; httplib skips a
                // field line that ends in a bare "\n", so that does not.
                if (m_in_head && m_lines > 0 && m_line_bytes == 2 && m_last == '\r')
                    m_in_head = false;
                m_line_bytes = 0;
                ++m_lines;
            } else if (m_line_bytes > k_line_limit) {
                return false;
            }
            m_last = c;
        }
        return true;
    }

    ssize_t read_bytes(char* into, std::size_t size)
    {
        if (!buffered()) {
            if (!ready(m_fd, POLLIN, m_read_timeout))
                return -1;
            // A large read (a body) goes straight to its destination.
            if (size >= m_buffer.size())
                return receive(m_fd, into, size);
            ssize_t n = receive(m_fd, m_buffer.data(), m_buffer.size());
            if (n <= 0)
                return n;
            m_offset = 0;
            m_size = static_cast<std::size_t>(n);
        }
        std::size_t n = std::min(size, m_size - m_offset);
        std::memcpy(into, m_buffer.data() + m_offset, n);
        m_offset += n;
        return static_cast<ssize_t>(n);
    }

    int m_fd;
    milliseconds m_read_timeout;
    milliseconds m_write_timeout;
    std::array<char, 4096> m_buffer{};
    std::size_t m_offset = 0;
    std::size_t m_size = 0;
    bool m_in_head = true;
    std::size_t m_head_bytes = 0;
    std::size_t m_line_bytes = 0;
    std::size_t m_lines = 0;
    char m_last = '\0';
    Overlong m_overlong = Overlong::none;
};

// The answer is out: shut down our side (the client reads the answer and then our FIN), read and
// drop what the client still sends until it closes, `most` bytes or k_linger_time, whichever comes
// first. Closing with unread bytes would reset the connection and could discard the answer from
// the client's buffer before the client read it.
// Connections lingering now, on all servers of the process (at most k_most_lingering).
std::atomic<int> g_lingering{0};

void drain(int fd, std::size_t most)
{
    ::shutdown(fd, SHUT_WR);
    if (g_lingering.fetch_add(1) >= k_most_lingering) {
        g_lingering.fetch_sub(1);
        return;
    }
    struct Leave {
        ~Leave() { g_lingering.fetch_sub(1); }
    } leave;
    auto deadline = steady_clock::now() + k_linger_time;
    std::array<char, 16384> dropped{};
    for (std::size_t taken = 0; taken < most;) {
        auto left = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
        if (left.count() <= 0 || !ready(fd, POLLIN, left))
            return;
        ssize_t n = receive(fd, dropped.data(), std::min(dropped.size(), most - taken));
        if (n <= 0)
            return;
        taken += static_cast<std::size_t>(n);
    }
}

// Our answer to a head over its limit (httplib's own would be a 400, or nothing).
std::string_view refusal(Overlong part)
{
    if (part == Overlong::request_line)
        return "HTTP/1.1 414 URI Too Long\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    return "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

}  // namespace

void end_connection_after_answer(std::size_t drain)
{
    t_linger = drain;
}

bool LingeringServer::process_and_close_socket(socket_t sock)
{
    SocketStream stream(sock, as_duration(read_timeout_sec_, read_timeout_usec_),
                        as_duration(write_timeout_sec_, write_timeout_usec_));
    // Whether another request comes within the keep-alive time; looked at in short steps so that
    // stop() (which closes the listening socket and then waits for this thread) ends an idle
    // connection at once.
    auto next_request = [&] {
        auto deadline = steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
        while (svr_sock_ != INVALID_SOCKET) {
            if (stream.buffered() || ready(sock, POLLIN, milliseconds(50)))
                return true;
            if (steady_clock::now() >= deadline)
                return false;
        }
        return false;
    };
    bool ok = false;
    std::optional<std::size_t> linger;
    for (std::size_t left = keep_alive_max_count_; left > 0 && next_request(); --left) {
        bool connection_closed = false;
        t_linger.reset();
        stream.begin_request();
        ok = process_request(stream, left == 1, connection_closed, nullptr);
        linger = std::exchange(t_linger, std::nullopt);
        if (stream.refused_head()) {
            auto answer = refusal(stream.overlong());
            stream.send_all(answer.data(), answer.size());
            linger = k_head_limit;
            ok = false;
        }
        if (!ok || connection_closed || linger)
            break;
    }
    if (linger)
        drain(sock, *linger);
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
}

}  // namespace redress::http
