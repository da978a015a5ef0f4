#include "token_command.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

extern char** environ;

namespace redress::connectors::imap {

namespace {

constexpr std::size_t k_max_token_output = 64 * 1024;

std::string trim(std::string text)
{
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!text.empty() && is_space(text.back()))
        text.pop_back();
    auto first = std::find_if_not(text.begin(), text.end(), is_space);
    text.erase(text.begin(), first);
    return text;
}

}  // namespace

Result<std::string> run_token_command(const std::string& command, std::chrono::milliseconds timeout,
                                      std::stop_token stop)
{
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
        return make_error(ErrorKind::failed, "imap.token", "could not create a pipe for oauth_token_command");

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    // Its own process group, so a command that hangs is killed with everything it started.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(pipe_fds[1]);
    if (spawned != 0) {
        ::close(pipe_fds[0]);
        return make_error(ErrorKind::failed, "imap.token", "could not start oauth_token_command");
    }

    std::string output;
    bool timed_out = false;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || stop.stop_requested()) {
            timed_out = true;
            break;
        }
        pollfd fd{pipe_fds[0], POLLIN, 0};
        int ready = ::poll(&fd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 200)));
        if (ready < 0 && errno != EINTR)
            break;
        if (ready <= 0)
            continue;
        auto n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        output.append(buffer, static_cast<std::size_t>(n));
        if (output.size() > k_max_token_output) {
            timed_out = true;
            break;
        }
    }
    ::close(pipe_fds[0]);
    if (timed_out)
        ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    if (timed_out)
        return make_error(ErrorKind::timeout, "imap.token",
                          "oauth_token_command did not finish in time (or printed too much)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return make_error(ErrorKind::transient, "imap.token",
                          "oauth_token_command failed with status " + std::to_string(WEXITSTATUS(status)));
    output = trim(std::move(output));
    if (output.empty())
        return make_error(ErrorKind::invalid, "imap.token", "oauth_token_command printed no token");
    // A token is one line; anything more means the command printed something else too.
    if (output.find('\n') != std::string::npos)
        return make_error(ErrorKind::invalid, "imap.token", "oauth_token_command printed more than one line");
    return output;
}

}  // namespace redress::connectors::imap
