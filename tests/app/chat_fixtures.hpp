#pragma once
// What the chat daemon tests share (chat_daemon_test.cpp, chat_poll_daemon_test.cpp): the chat
// fixtures on disk, the port a started daemon listens on, and a sample read from its /metrics.

#include "daemon_fixtures.hpp"
#include "daemon_process.hpp"

#include <httplib.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>

namespace redress::testing {

// A file of tests/fixtures/chat (a platform's update or event as it posts it).
inline std::string fixture(const std::string& name)
{
    return read_file(std::filesystem::path(REDRESS_FIXTURES_DIR) / "chat" / name);
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

}  // namespace redress::testing
