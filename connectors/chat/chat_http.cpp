#include "chat_http.hpp"

#include "common/text.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <memory>

namespace redress::connectors::chat {

namespace {

struct Transfer {
    HttpReply* reply;
    const HttpCallOptions* options;
};

std::size_t collect_body(char* data, std::size_t size, std::size_t count, void* target)
{
    auto* transfer = static_cast<Transfer*>(target);
    std::string& body = transfer->reply->body;
    std::size_t n = size * count;
    std::size_t limit = transfer->options->max_body;
    if (transfer->options->refuse_longer && body.size() + n > limit) {
        transfer->reply->too_long = true;
        return 0;  // libcurl stops with CURLE_WRITE_ERROR
    }
    if (body.size() < limit)
        body.append(data, std::min(n, limit - body.size()));
    return n;
}

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* target)
{
    auto* reply = static_cast<HttpReply*>(target);
    std::string_view line(data, size * count);
    constexpr std::string_view k_name = "retry-after:";
    if (istarts_with(line, k_name)) {
        std::string_view value = trim(line.substr(k_name.size()));
        long long seconds = 0;
        auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (error == std::errc() && seconds >= 0)
            reply->retry_after = Seconds{seconds};
    }
    return size * count;
}

// libcurl's progress callback: a non-zero answer ends the transfer (the caller is stopping).
int abort_when_stopping(void* stopping, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    const auto* flag = static_cast<const std::atomic<bool>*>(stopping);
    return flag && flag->load() ? 1 : 0;
}

}  // namespace

void prepare_curl()
{
    static const bool curl_ready = [] {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        return true;
    }();
    (void)curl_ready;
}

HttpReply perform(const config::Chat& chat, const HttpRequest& request, const HttpCallOptions& options)
{
    HttpReply reply;
    if (options.stop.stop_requested()) {
        reply.stopped = true;
        return reply;
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
    std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(), curl_multi_cleanup);
    if (!easy || !multi) {
        reply.transport_error = "libcurl could not start a request";
        return reply;
    }
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers)
        headers = curl_slist_append(headers, h.c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);

    Transfer transfer{&reply, &options};
    char error_buffer[CURL_ERROR_SIZE] = {0};
    CURL* c = easy.get();
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (options.get) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, chat.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, chat.verify_tls ? 2L : 0L);
    if (!chat.ca_file.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, chat.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.total_timeout.count()));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "redress");
    if (options.stopping) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, abort_when_stopping);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options.stopping));
    }

    // The multi interface, so that a stop wakes the wait at once (curl_multi_wakeup may be called
    // from any thread) instead of after a long poll's whole timeout.
    curl_multi_add_handle(multi.get(), c);
    CURLcode code = CURLE_OK;
    {
        std::stop_callback wake(options.stop, [m = multi.get()] { curl_multi_wakeup(m); });
        int running = 1;
        while (running > 0) {
            if (curl_multi_perform(multi.get(), &running) != CURLM_OK) {
                code = CURLE_FAILED_INIT;
                break;
            }
            if (running == 0)
                break;
            if (options.stop.stop_requested()) {
                reply.stopped = true;
                break;
            }
            curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
        }
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(multi.get(), &left))
            if (message->msg == CURLMSG_DONE && message->easy_handle == c)
                code = message->data.result;
    }
    curl_multi_remove_handle(multi.get(), c);
    if (reply.stopped || code == CURLE_ABORTED_BY_CALLBACK) {
        reply = HttpReply{};
        reply.stopped = true;
        return reply;
    }
    if (code != CURLE_OK)
        // The error buffer names the host, never the URL's path (which holds Telegram's token).
        reply.transport_error = error_buffer[0] ? std::string(error_buffer) : std::string(curl_easy_strerror(code));
    else
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

std::optional<Seconds> retry_after_in(const nlohmann::json& answer)
{
    if (answer.is_object() && answer.contains("parameters") && answer["parameters"].is_object() &&
        answer["parameters"].contains("retry_after") && answer["parameters"]["retry_after"].is_number_integer())
        return Seconds{answer["parameters"]["retry_after"].get<long long>()};
    return std::nullopt;
}

std::string one_line(std::string text)
{
    sanitize_utf8(text);
    for (char& c : text)
        if (c == '\r' || c == '\n')
            c = ' ';
    if (text.size() > 300)
        text = text.substr(0, utf8_cut(text, 297)) + "...";
    return text;
}

}  // namespace redress::connectors::chat
