#pragma once
// One IMAP connection. libcurl opens it (TCP, TLS or STARTTLS, greeting, login with a password or
// an XOAUTH2 bearer token) and then hands over the socket (CURLOPT_CONNECT_ONLY); the commands are
// ours, written and read with curl_easy_send/curl_easy_recv. We speak the protocol ourselves because
// curl's own IMAP layer cannot do what the poller needs (both checked with curl 7.88 and Dovecot 2.3):
// its URL fetch sends "UID FETCH n BODY[]", which sets \Seen before we have stored the message, and a
// custom "UID FETCH n BODY.PEEK[]" request drops the literal and passes body lines that start with
// "* " through as if they were responses. curl has no IDLE either.
//
// Every wait is sliced so that a stop request ends it within a fraction of a second.

#include "common/result.hpp"
#include "common/time.hpp"
#include "imap_response.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace redress::connectors::imap {

struct ImapClientOptions {
    std::string url;  // imap://host:port/... or imaps://host:port/...; the path is not used here
    std::string user;
    std::string password;
    std::string oauth_token;  // XOAUTH2 bearer token; used instead of the password when set
    bool verify_tls = true;
    std::string ca_file;
    bool starttls = false;  // on imap://, refuse to log in unless STARTTLS succeeds
    std::chrono::milliseconds connect_timeout{15'000};
    std::chrono::milliseconds response_timeout{60'000};  // silence allowed while a command runs
    std::size_t max_literal = 64 * 1024 * 1024;
};

struct SelectedMailbox {
    std::uint32_t uidvalidity = 0;
    std::uint32_t uidnext = 0;
    std::uint32_t exists = 0;
};

struct MessageInfo {
    std::uint32_t uid = 0;
    std::uint64_t size = 0;
    std::optional<TimePoint> internal_date;
};

enum class IdleResult { new_mail, timed_out, stopped };

struct CommandReply {
    std::vector<ImapResponse> untagged;
    ImapResponse tagged;
    bool ok() const { return tagged.status() == "OK"; }
};

class ImapClient {
public:
    explicit ImapClient(ImapClientOptions options, std::stop_token stop = {});
    ~ImapClient();
    ImapClient(const ImapClient&) = delete;
    ImapClient& operator=(const ImapClient&) = delete;

    // Connects and logs in; then asks for the capabilities, which change after login (RFC 3501 6.2).
    // Error codes: imap.connect, imap.auth, imap.tls, imap.stopped, imap.protocol.
    Result<void> connect();
    // Says LOGOUT when the connection is healthy and no stop was requested, then closes.
    void disconnect();
    bool connected() const;
    void set_stop_token(std::stop_token stop);

    bool has_capability(std::string_view name) const;
    const std::vector<std::string>& capabilities() const { return m_capabilities; }

    Result<SelectedMailbox> select(std::string_view folder);
    // UIDs from first_uid upward, ascending. RFC 3501 6.4.8: "n:*" always matches the highest UID,
    // even below n; those are filtered out here.
    Result<std::vector<std::uint32_t>> uids_from(std::uint32_t first_uid);
    // nullopt when the message is gone (expunged by someone else since the search).
    Result<std::optional<MessageInfo>> message_info(std::uint32_t uid);
    // The whole message with BODY.PEEK[], which leaves \Seen alone (RFC 3501 6.4.5).
    Result<std::optional<std::string>> fetch_message(std::uint32_t uid);
    // The header only, for a message too big to fetch whole.
    Result<std::optional<std::string>> fetch_header(std::uint32_t uid);
    Result<std::vector<std::string>> flags(std::uint32_t uid);
    Result<void> add_flags(std::uint32_t uid, std::string_view flags);
    // RFC 6851 UID MOVE when offered; otherwise COPY, \Deleted and (with UIDPLUS, RFC 4315) UID EXPUNGE.
    // A missing target folder ([TRYCREATE]) is created once.
    Result<void> move(std::uint32_t uid, std::string_view folder);
    Result<void> create_folder(std::string_view folder);

    // RFC 2177 IDLE on the selected mailbox until "* n EXISTS", max_duration or a stop request.
    Result<IdleResult> idle(std::chrono::milliseconds max_duration);
    // True once if a new-mail notification (untagged EXISTS) came with some other command's
    // responses since the last uids_from(): the caller should look again before idling.
    bool take_mail_hint();

    // One command ("UID STORE 4 +FLAGS (\Seen)"); transport failures are errors, NO and BAD are
    // in the reply. Public for tools and tests.
    Result<CommandReply> command(std::string_view text);

private:
    using Deadline = std::chrono::steady_clock::time_point;
    Result<void> send_all(std::string_view bytes);
    // The next response, waiting until `deadline`; nullopt when the deadline passed first.
    Result<std::optional<ImapResponse>> read_response(Deadline deadline);
    Result<void> wait_socket(bool for_write, Deadline deadline);
    void note_untagged(const ImapResponse& response);
    // UID FETCH of one body section ("BODY.PEEK[]", "BODY.PEEK[HEADER]"); nullopt if the message is gone.
    Result<std::optional<std::string>> fetch_body(std::uint32_t uid, std::string_view item);
    Result<CommandReply> checked(std::string_view text, std::string_view what);

    ImapClientOptions m_options;
    std::stop_token m_stop;
    void* m_curl = nullptr;
    ImapResponseReader m_reader;
    std::vector<std::string> m_capabilities;
    std::uint64_t m_next_tag = 1;
    bool m_broken = false;
    bool m_mail_hint = false;
    std::string m_error_buffer;
};

}  // namespace redress::connectors::imap
