#pragma once
// What the daemon tests over HTTP share (api_daemon_test.cpp, chat_daemon_test.cpp,
// chat_files_daemon_test.cpp, and through chat_fixtures.hpp the chat tests): an answer as the tests
// read it, one request to the daemon on loopback, the port a started daemon listens on, a sample of
// its /metrics, and a person with an API token made through the command line.

#include "daemon_process.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <ostream>
#include <regex>
#include <sstream>
#include <string>

namespace redress::testing {

struct Reply {
    int status = 0;  // -1: no answer (the body says why)
    httplib::Headers headers;
    std::string body;

    nlohmann::json body_json() const
    {
        nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
        return parsed.is_discarded() ? nlohmann::json() : parsed;
    }
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

inline std::ostream& operator<<(std::ostream& out, const Reply& r)
{
    return out << r.status << " " << r.body;
}

// One request to the daemon on loopback; `token` empty sends no Authorization.
inline Reply call(int port, const std::string& method, const std::string& path, const std::string& token,
                  const std::optional<std::string>& body = std::nullopt, httplib::Headers headers = {},
                  const std::string& content_type = "application/json")
{
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    if (!token.empty())
        headers.emplace("Authorization", "Bearer " + token);
    std::string text = body.value_or("");
    auto send = [&]() -> httplib::Result {
        if (method == "POST")
            return client.Post(path, headers, text, content_type);
        if (method == "PUT")
            return client.Put(path, headers, text, content_type);
        if (method == "PATCH")
            return client.Patch(path, headers, text, content_type);
        if (method == "DELETE")
            return client.Delete(path, headers, text, content_type);
        return client.Get(path, headers);
    };
    httplib::Result res = send();
    if (!res)
        return Reply{-1, {}, "no answer: " + httplib::to_string(res.error())};
    return Reply{res->status, res->headers, res->body};
}

inline long long now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The last line of a command's output (where `token create` prints the token).
inline std::string last_line(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    auto nl = text.rfind('\n');
    return nl == std::string::npos ? text : text.substr(nl + 1);
}

// The port of the daemon's last start (a log may be appended to across restarts); 0 when none.
inline int listening_port(const DaemonProcess& daemon)
{
    std::string log = daemon.log();
    static const std::regex k_line(R"(http\.listening\b.*\bport=(\d+))");
    int port = 0;
    for (auto it = std::sregex_iterator(log.begin(), log.end(), k_line); it != std::sregex_iterator(); ++it)
        port = std::stoi((*it)[1].str());
    return port;
}

// The value of one sample of /metrics ("name{labels}"): 0 when it is not there, -1 when the daemon
// did not answer.
inline double metric(int port, const std::string& sample)
{
    httplib::Client client("127.0.0.1", port);
    auto res = client.Get("/metrics");
    if (!res)
        return -1;
    std::istringstream in(res->body);
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with(sample + " "))
            return std::stod(line.substr(sample.size() + 1));
    return 0;
}

// `redress user add NAME --role owner` with `password`, then `redress token create --user NAME`:
// the token, or empty (with the test failed and the commands' output) when either command failed.
inline std::string owner_with_token(const std::filesystem::path& data, const std::filesystem::path& config,
                                    const std::string& name, const std::string& password)
{
    using namespace std::chrono_literals;
    auto added = run_redress({"user", "add", name, "--role", "owner", "--password-stdin", "--data-dir", data.string(),
                              "--config", config.string()},
                             60s, password + "\n");
    if (added.exit_code != 0) {
        ADD_FAILURE() << added.out << added.err;
        return {};
    }
    auto token =
        run_redress({"token", "create", "--user", name, "--data-dir", data.string(), "--config", config.string()});
    if (token.exit_code != 0) {
        ADD_FAILURE() << token.out << token.err;
        return {};
    }
    return last_line(token.out);
}

}  // namespace redress::testing
