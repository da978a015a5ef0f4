#include "smtp_sender.hpp"

#include "common/log.hpp"
#include "smtp_reply.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

namespace redress::connectors::smtp {

namespace {

void ensure_curl_global()
{
    // curl_global_init is not safe to race with other threads' first curl calls; do it once.
    static const bool done = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)done;
}

struct Upload {
    std::string data;
    std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* userdata)
{
    auto* upload = static_cast<Upload*>(userdata);
    std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    std::memcpy(buffer, upload->data.data() + upload->offset, n);
    upload->offset += n;
    return n;
}

// The server's replies, gathered from curl's debug stream (only what comes in: what goes out
// includes the AUTH secret).
struct Replies {
    std::string current;       // lines of a multi-line reply so far
    std::string last;          // the last complete reply
    std::string last_failure;  // the last complete 4yz/5yz reply
};

int collect_replies(CURL*, curl_infotype type, char* data, std::size_t size, void* userdata)
{
    if (type != CURLINFO_HEADER_IN)
        return 0;
    auto* replies = static_cast<Replies*>(userdata);
    std::string line(data, size);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.pop_back();
    if (!replies->current.empty())
        replies->current += " / ";
    replies->current += line;
    // RFC 5321 section 4.2.1: "250-" continues a reply, "250 " ends it.
    bool final_line = line.size() < 4 || line[3] != '-';
    if (final_line) {
        replies->last = replies->current;
        if (!line.empty() && (line[0] == '4' || line[0] == '5'))
            replies->last_failure = replies->current;
        replies->current.clear();
    }
    return 0;
}

SmtpAttempt::Transport transport_of(CURLcode code)
{
    using Transport = SmtpAttempt::Transport;
    switch (code) {
    case CURLE_OK:
        return Transport::ok;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
        return Transport::connect_failed;
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        return Transport::tls_failed;
    case CURLE_LOGIN_DENIED:
        return Transport::auth_failed;
    case CURLE_OPERATION_TIMEDOUT:
        return Transport::timed_out;
    default:
        return Transport::other;
    }
}

}  // namespace

SmtpSender::SmtpSender(config::Smtp config, std::string envelope_from, SmtpTiming timing)
    : m_config(std::move(config))
    , m_envelope_from(std::move(envelope_from))
    , m_timing(timing)
{
    ensure_curl_global();
}

SmtpSender::~SmtpSender()
{
    if (m_curl)
        curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

SendResult SmtpSender::send(const Letter& letter)
{
    // A line break in the recipient would end the RCPT command and start another (RFC 5321 2.3.8):
    // such a letter can never be sent as it is.
    bool control = std::any_of(letter.recipient.begin(), letter.recipient.end(),
                               [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
    if (control || letter.recipient.find(',') != std::string::npos)
        return {SendResult::Status::permanent_failure,
                "the recipient is not one address (a line break or a comma in it)",
                {}};
    std::lock_guard lock(m_mutex);
    if (!m_curl)
        m_curl = curl_easy_init();
    auto* curl = static_cast<CURL*>(m_curl);
    if (!curl)
        return {SendResult::Status::temporary_failure, "libcurl could not create a handle", {}};
    // The handle is kept for its connection cache (RFC 5321 allows several transactions per
    // session); the options are set anew each time.
    curl_easy_reset(curl);

    Upload upload{to_crlf(letter.content), 0};
    Replies replies;
    char error_buffer[CURL_ERROR_SIZE] = {};
    std::string from = envelope_address(m_envelope_from);
    std::string to = envelope_address(letter.recipient);
    curl_slist* recipients = curl_slist_append(nullptr, to.c_str());

    curl_easy_setopt(curl, CURLOPT_URL, m_config.url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
    if (!m_config.user.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, m_config.user.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, m_config.password.c_str());
    }
    if (m_config.starttls)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, m_config.verify_tls ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, m_config.verify_tls ? 2L : 0L);
    if (!m_config.ca_file.empty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_config.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload.data.size()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_timing.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_timing.total_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(curl, CURLOPT_DEBUGFUNCTION, collect_replies);
    curl_easy_setopt(curl, CURLOPT_DEBUGDATA, &replies);

    CURLcode code = curl_easy_perform(curl);
    curl_slist_free_all(recipients);

    SmtpAttempt attempt;
    attempt.transport = transport_of(code);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &attempt.reply_code);
    attempt.failure_reply = replies.last_failure;
    attempt.last_reply = replies.last;
    attempt.transport_error = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    if (code == CURLE_OK)
        attempt.failure_reply.clear();
    auto result = classify_smtp_attempt(attempt);

    auto status = result.status == SendResult::Status::sent                ? "sent"
                  : result.status == SendResult::Status::temporary_failure ? "temporary_failure"
                                                                           : "permanent_failure";
    log::write(result.status == SendResult::Status::sent ? log::Level::info : log::Level::warn, "smtp.send",
               {{"letter", std::to_string(letter.id)},
                {"message_id", letter.message_id},
                {"recipient", letter.recipient},
                {"status", status},
                {"detail", result.detail}});
    return result;
}

}  // namespace redress::connectors::smtp
