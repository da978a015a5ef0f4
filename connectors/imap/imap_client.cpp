#include "imap_client.hpp"

#include "imap_syntax.hpp"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

namespace redress::connectors::imap {

namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// A stop request is noticed within this long, whatever the client waits for.
constexpr auto k_stop_slice = 200ms;
constexpr auto k_logout_timeout = 2s;

void ensure_curl_global()
{
    // curl_global_init is not safe to race with other threads' first curl calls; do it once.
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

CURL* handle(void* curl)
{
    return static_cast<CURL*>(curl);
}

int stop_progress(void* data, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    // libcurl calls this while it connects and logs in; a non-zero answer aborts the transfer.
    auto* stop = static_cast<std::stop_token*>(data);
    return stop->stop_requested() ? 1 : 0;
}

Error connect_error(CURLcode code, const std::string& detail)
{
    std::string text = detail.empty() ? curl_easy_strerror(code) : detail;
    switch (code) {
    case CURLE_LOGIN_DENIED:
        return make_error(ErrorKind::refused, "imap.auth", "the IMAP server refused the login: " + text);
    case CURLE_USE_SSL_FAILED:
        return make_error(ErrorKind::refused, "imap.tls",
                          "the IMAP server does not offer STARTTLS, which the mailbox requires: " + text);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
        return make_error(ErrorKind::refused, "imap.tls",
                          "TLS with the IMAP server failed (check ca_file or verify_tls): " + text);
    case CURLE_ABORTED_BY_CALLBACK:
        return make_error(ErrorKind::stopped, "imap.stopped", "stopped while connecting");
    default:
        return make_error(ErrorKind::transient, "imap.connect", "could not connect to the IMAP server: " + text);
    }
}

}  // namespace

ImapClient::ImapClient(ImapClientOptions options, std::stop_token stop)
    : m_options(std::move(options))
    , m_stop(std::move(stop))
    , m_reader(m_options.max_literal + 4096)
{
    ensure_curl_global();
}

ImapClient::~ImapClient()
{
    if (m_curl)
        curl_easy_cleanup(handle(m_curl));
}

void ImapClient::set_stop_token(std::stop_token stop)
{
    m_stop = std::move(stop);
}

bool ImapClient::connected() const
{
    return m_curl != nullptr && !m_broken;
}

Result<void> ImapClient::connect()
{
    if (m_curl) {
        curl_easy_cleanup(handle(m_curl));
        m_curl = nullptr;
    }
    m_reader = ImapResponseReader(m_options.max_literal + 4096);
    m_broken = false;
    m_mail_hint = false;
    m_capabilities.clear();

    CURL* curl = curl_easy_init();
    if (!curl)
        return make_error(ErrorKind::transient, "imap.connect", "libcurl could not create a handle");
    m_curl = curl;
    m_error_buffer.assign(CURL_ERROR_SIZE, '\0');

    // Only scheme, host and port: the folder is ours to select, and a path would make curl parse
    // IMAP URL parameters we do not use.
    std::string url = m_options.url;
    if (auto scheme_end = url.find("://"); scheme_end != std::string::npos) {
        auto path = url.find('/', scheme_end + 3);
        if (path != std::string::npos)
            url.erase(path);
    }
    url += '/';
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, m_error_buffer.data());
    curl_easy_setopt(curl, CURLOPT_USERNAME, m_options.user.c_str());
    if (!m_options.oauth_token.empty())
        curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER, m_options.oauth_token.c_str());
    else
        curl_easy_setopt(curl, CURLOPT_PASSWORD, m_options.password.c_str());
    if (m_options.starttls)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_options.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_options.verify_tls ? 2L : 0L);
    if (!m_options.ca_file.empty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                     static_cast<long>(std::max<std::int64_t>(1, m_options.response_timeout.count() / 1000)));
    // A connection that sits in IDLE for 25 minutes must notice a dead peer sooner than that.
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, 60L);
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPINTVL, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stop_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &m_stop);

    CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
        auto error = connect_error(code, m_error_buffer.c_str());
        curl_easy_cleanup(curl);
        m_curl = nullptr;
        return error;
    }
    auto reply = TRY(command("CAPABILITY"));
    for (auto& response : reply.untagged)
        if (response.text.rfind("CAPABILITY ", 0) == 0)
            m_capabilities = parse_capabilities(response.text);
    return {};
}

void ImapClient::disconnect()
{
    if (!m_curl)
        return;
    if (!m_broken && !m_stop.stop_requested()) {
        // Best effort: a polite LOGOUT, but never wait long for the answer.
        auto tag = "R" + std::to_string(m_next_tag++);
        if (send_all(tag + " LOGOUT\r\n")) {
            auto deadline = SteadyClock::now() + k_logout_timeout;
            for (;;) {
                auto response = read_response(deadline);
                if (!response || !*response || (*response)->tag == tag)
                    break;
            }
        }
    }
    curl_easy_cleanup(handle(m_curl));
    m_curl = nullptr;
    m_broken = false;
}

bool ImapClient::has_capability(std::string_view name) const
{
    return std::any_of(m_capabilities.begin(), m_capabilities.end(), [&](const std::string& c) {
        return c.size() == name.size() && std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
                   return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
               });
    });
}

Result<void> ImapClient::wait_socket(bool for_write, Deadline deadline)
{
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(handle(m_curl), CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK || socket == CURL_SOCKET_BAD) {
        m_broken = true;
        return make_error(ErrorKind::transient, "imap.closed", "the IMAP connection is closed");
    }
    for (;;) {
        if (m_stop.stop_requested())
            return make_error(ErrorKind::stopped, "imap.stopped", "stopped");
        auto now = SteadyClock::now();
        if (now >= deadline)
            return make_error(ErrorKind::timeout, "imap.timeout", "the IMAP server did not answer in time");
        auto slice = std::min<SteadyClock::duration>(deadline - now, k_stop_slice);
        pollfd fd{socket, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
        int timeout_ms = static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(slice).count());
        int ready = ::poll(&fd, 1, timeout_ms);
        if (ready > 0)
            return {};
        if (ready < 0 && errno != EINTR) {
            m_broken = true;
            return make_error(ErrorKind::transient, "imap.closed", "waiting on the IMAP connection failed");
        }
    }
}

Result<void> ImapClient::send_all(std::string_view bytes)
{
    if (!m_curl)
        return make_error(ErrorKind::transient, "imap.closed", "not connected to the IMAP server");
    auto deadline = SteadyClock::now() + m_options.response_timeout;
    while (!bytes.empty()) {
        std::size_t sent = 0;
        CURLcode code = curl_easy_send(handle(m_curl), bytes.data(), bytes.size(), &sent);
        if (code == CURLE_AGAIN) {
            if (auto waited = wait_socket(true, deadline); !waited)
                return waited;
            continue;
        }
        if (code != CURLE_OK) {
            m_broken = true;
            return make_error(ErrorKind::transient, "imap.closed",
                              std::string("sending to the IMAP server failed: ") + curl_easy_strerror(code));
        }
        bytes.remove_prefix(sent);
    }
    return {};
}

Result<std::optional<ImapResponse>> ImapClient::read_response(Deadline deadline)
{
    char buffer[64 * 1024];
    for (;;) {
        auto parsed = m_reader.next();
        if (!parsed) {
            m_broken = true;
            return parsed.error();
        }
        if (*parsed)
            return std::move(*parsed);
        std::size_t received = 0;
        CURLcode code = curl_easy_recv(handle(m_curl), buffer, sizeof buffer, &received);
        if (code == CURLE_AGAIN) {
            auto waited = wait_socket(false, deadline);
            if (!waited) {
                if (waited.error().is(ErrorKind::timeout))
                    return std::optional<ImapResponse>{};
                return waited.error();
            }
            continue;
        }
        if (code != CURLE_OK || received == 0) {
            m_broken = true;
            return make_error(ErrorKind::transient, "imap.closed",
                              code != CURLE_OK ? std::string("the IMAP connection failed: ") + curl_easy_strerror(code)
                                               : std::string("the IMAP server closed the connection"));
        }
        m_reader.feed(std::string_view(buffer, received));
    }
}

void ImapClient::note_untagged(const ImapResponse& response)
{
    if (parse_exists(response.text))
        m_mail_hint = true;
}

Result<CommandReply> ImapClient::command(std::string_view text)
{
    if (!connected())
        return make_error(ErrorKind::transient, "imap.closed", "not connected to the IMAP server");
    auto tag = "R" + std::to_string(m_next_tag++);
    std::string line = tag;
    line += ' ';
    line += text;
    line += "\r\n";
    TRY(send_all(line));
    CommandReply reply;
    for (;;) {
        // The deadline restarts with every response: a big FETCH may take long, silence may not.
        auto response = read_response(SteadyClock::now() + m_options.response_timeout);
        if (!response)
            return response.error();
        if (!*response) {
            m_broken = true;
            return make_error(ErrorKind::timeout, "imap.timeout",
                              "the IMAP server did not answer \"" + std::string(text.substr(0, text.find(' '))) +
                                  "\" in time");
        }
        auto& r = **response;
        if (r.kind == ImapResponse::Kind::tagged && r.tag == tag) {
            reply.tagged = std::move(r);
            return reply;
        }
        if (r.kind == ImapResponse::Kind::untagged) {
            if (r.status() == "BYE") {
                m_broken = true;
                return make_error(ErrorKind::transient, "imap.closed",
                                  "the IMAP server closed the connection: " + std::string(r.status_text()));
            }
            reply.untagged.push_back(std::move(r));
        }
        // A continuation request is never expected: we send no literals.
    }
}

Result<CommandReply> ImapClient::checked(std::string_view text, std::string_view what)
{
    auto reply = TRY(command(text));
    if (!reply.ok()) {
        auto status = reply.tagged.status();
        return make_error(status == "NO" ? ErrorKind::refused : ErrorKind::invalid,
                          status == "NO" ? "imap.no" : "imap.bad",
                          "the IMAP server refused " + std::string(what) + ": " + status + " " +
                              std::string(reply.tagged.status_text()));
    }
    return reply;
}

Result<SelectedMailbox> ImapClient::select(std::string_view folder)
{
    auto reply = TRY(checked("SELECT " + quote_mailbox(folder), "SELECT " + std::string(folder)));
    SelectedMailbox mailbox;
    bool have_uidvalidity = false;
    for (auto& response : reply.untagged) {
        if (auto exists = parse_exists(response.text))
            mailbox.exists = *exists;
        if (auto v = numeric_response_code(response.text, "UIDVALIDITY")) {
            mailbox.uidvalidity = *v;
            have_uidvalidity = true;
        }
        if (auto v = numeric_response_code(response.text, "UIDNEXT"))
            mailbox.uidnext = *v;
    }
    // The EXISTS of a SELECT answer is not news.
    m_mail_hint = false;
    if (!have_uidvalidity)
        return make_error(ErrorKind::invalid, "imap.protocol",
                          "the IMAP server sent no UIDVALIDITY for " + std::string(folder) +
                              " (RFC 3501 6.3.1 requires it)");
    return mailbox;
}

Result<std::vector<std::uint32_t>> ImapClient::uids_from(std::uint32_t first_uid)
{
    m_mail_hint = false;
    auto reply = TRY(checked("UID SEARCH UID " + std::to_string(first_uid) + ":*", "UID SEARCH"));
    std::vector<std::uint32_t> uids;
    for (auto& response : reply.untagged) {
        if (auto found = parse_search(response.text)) {
            for (auto uid : *found)
                if (uid >= first_uid)
                    uids.push_back(uid);
        } else {
            note_untagged(response);
        }
    }
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

Result<std::optional<MessageInfo>> ImapClient::message_info(std::uint32_t uid)
{
    auto reply = TRY(checked("UID FETCH " + std::to_string(uid) + " (UID RFC822.SIZE INTERNALDATE)", "UID FETCH"));
    std::optional<MessageInfo> info;
    for (auto& response : reply.untagged) {
        auto data = parse_fetch(response);
        // Other FETCH responses (flag changes someone else made) may arrive mixed in; only ours counts.
        if (!data || data->uid != uid || !data->size) {
            note_untagged(response);
            continue;
        }
        info = MessageInfo{uid, *data->size, std::nullopt};
        if (data->internal_date)
            info->internal_date = parse_internal_date(*data->internal_date);
    }
    return info;
}

Result<std::optional<std::string>> ImapClient::fetch_message(std::uint32_t uid)
{
    return fetch_body(uid, "BODY.PEEK[]");
}

Result<std::optional<std::string>> ImapClient::fetch_header(std::uint32_t uid)
{
    return fetch_body(uid, "BODY.PEEK[HEADER]");
}

Result<std::optional<std::string>> ImapClient::fetch_body(std::uint32_t uid, std::string_view item)
{
    auto reply = TRY(checked("UID FETCH " + std::to_string(uid) + " (UID " + std::string(item) + ")", "UID FETCH"));
    for (auto& response : reply.untagged) {
        auto data = parse_fetch(response);
        if (data && data->uid == uid && data->body)
            return std::optional<std::string>(std::move(*data->body));
        note_untagged(response);
    }
    return std::optional<std::string>{};
}

Result<std::vector<std::string>> ImapClient::flags(std::uint32_t uid)
{
    auto reply = TRY(checked("UID FETCH " + std::to_string(uid) + " (UID FLAGS)", "UID FETCH"));
    for (auto& response : reply.untagged) {
        auto data = parse_fetch(response);
        if (data && data->uid == uid)
            return data->flags;
    }
    return make_error(ErrorKind::not_found, "imap.gone", "no message with UID " + std::to_string(uid));
}

Result<void> ImapClient::add_flags(std::uint32_t uid, std::string_view flags)
{
    // .SILENT: we do not need the new flags echoed back (RFC 3501 6.4.6).
    auto reply =
        TRY(checked("UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (" + std::string(flags) + ")", "UID STORE"));
    for (auto& response : reply.untagged)
        note_untagged(response);
    return {};
}

Result<void> ImapClient::create_folder(std::string_view folder)
{
    auto reply = TRY(command("CREATE " + quote_mailbox(folder)));
    // A folder that exists already is fine: another client may have made it in between.
    if (!reply.ok() && !has_response_code(reply.tagged.status_text(), "ALREADYEXISTS"))
        return make_error(ErrorKind::refused, "imap.no",
                          "the IMAP server refused to create " + std::string(folder) + ": " +
                              std::string(reply.tagged.status_text()));
    return {};
}

Result<void> ImapClient::move(std::uint32_t uid, std::string_view folder)
{
    bool has_move = has_capability("MOVE");
    auto target = quote_mailbox(folder);
    std::string transfer = (has_move ? "UID MOVE " : "UID COPY ") + std::to_string(uid) + " " + target;
    auto reply = TRY(command(transfer));
    if (!reply.ok() && has_response_code(reply.tagged.status_text(), "TRYCREATE")) {
        // RFC 3501 6.4.7: [TRYCREATE] means the target does not exist and CREATE may help.
        TRY(create_folder(folder));
        reply = TRY(command(transfer));
    }
    if (!reply.ok())
        return make_error(ErrorKind::refused, "imap.no",
                          "the IMAP server refused to move UID " + std::to_string(uid) + " to " + std::string(folder) +
                              ": " + std::string(reply.tagged.status_text()));
    for (auto& response : reply.untagged)
        note_untagged(response);
    if (has_move)
        return {};
    TRY(add_flags(uid, "\\Deleted"));
    // Without UIDPLUS only a plain EXPUNGE exists, and it would also remove messages that someone
    // else marked \Deleted and still means to look at; the message stays flagged instead.
    if (!has_capability("UIDPLUS"))
        return {};
    TRY(checked("UID EXPUNGE " + std::to_string(uid), "UID EXPUNGE"));
    return {};
}

bool ImapClient::take_mail_hint()
{
    bool hint = m_mail_hint;
    m_mail_hint = false;
    return hint;
}

Result<IdleResult> ImapClient::idle(std::chrono::milliseconds max_duration)
{
    if (!connected())
        return make_error(ErrorKind::transient, "imap.closed", "not connected to the IMAP server");
    auto tag = "R" + std::to_string(m_next_tag++);
    TRY(send_all(tag + " IDLE\r\n"));
    bool new_mail = false;
    // RFC 2177: the server answers "+ idling" and then sends untagged updates as they happen.
    for (;;) {
        auto response = read_response(SteadyClock::now() + m_options.response_timeout);
        if (!response)
            return response.error();
        if (!*response) {
            m_broken = true;
            return make_error(ErrorKind::timeout, "imap.timeout", "the IMAP server did not accept IDLE in time");
        }
        auto& r = **response;
        if (r.kind == ImapResponse::Kind::continuation)
            break;
        if (r.kind == ImapResponse::Kind::tagged && r.tag == tag)
            return make_error(ErrorKind::refused, "imap.no", "the IMAP server refused IDLE: " + r.text);
        if (r.kind == ImapResponse::Kind::untagged && parse_exists(r.text))
            new_mail = true;
    }
    auto until = SteadyClock::now() + max_duration;
    while (!new_mail) {
        if (m_stop.stop_requested())
            return IdleResult::stopped;
        if (SteadyClock::now() >= until)
            break;
        auto response = read_response(std::min(until, SteadyClock::now() + k_stop_slice));
        if (!response) {
            if (response.error().is(ErrorKind::stopped))
                return IdleResult::stopped;
            return response.error();
        }
        if (!*response)
            continue;
        auto& r = **response;
        if (r.kind != ImapResponse::Kind::untagged)
            continue;
        if (r.status() == "BYE") {
            m_broken = true;
            return make_error(ErrorKind::transient, "imap.closed",
                              "the IMAP server ended the IDLE connection: " + std::string(r.status_text()));
        }
        if (parse_exists(r.text))
            new_mail = true;
    }
    TRY(send_all("DONE\r\n"));
    for (;;) {
        auto response = read_response(SteadyClock::now() + m_options.response_timeout);
        if (!response)
            return response.error();
        if (!*response) {
            m_broken = true;
            return make_error(ErrorKind::timeout, "imap.timeout", "the IMAP server did not end IDLE in time");
        }
        if ((*response)->kind == ImapResponse::Kind::tagged && (*response)->tag == tag)
            break;
    }
    return new_mail ? IdleResult::new_mail : IdleResult::timed_out;
}

}  // namespace redress::connectors::imap
