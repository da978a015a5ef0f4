#pragma once
// The redress binary as the tests meet it: `redress serve` as a real child process whose stderr goes
// to a file, and one-shot commands (`tickets list --json`, `check`) whose output is captured.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace redress::testing {

// The redress binary under test (set by CMake to $<TARGET_FILE:redress>).
std::string redress_binary();
// The repository root, given to the child as REDRESS_HOME so templates, rules and model are found.
std::string redress_home();

struct CommandResult {
    int exit_code = -1;  // -1 when killed by a signal or not started
    std::string out;
    std::string err;
};

// Runs `redress ARGS...` to completion (at most `limit`; then it is killed) and returns what it printed.
// `input`, when given, is its standard input (else /dev/null).
CommandResult run_redress(const std::vector<std::string>& args,
                          std::chrono::milliseconds limit = std::chrono::seconds(60),
                          const std::optional<std::string>& input = std::nullopt);

// Polls `done` every `step` until it returns true or `limit` passes; returns the last answer.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit,
                std::chrono::milliseconds step = std::chrono::milliseconds(100));

class DaemonProcess {
public:
    explicit DaemonProcess(std::filesystem::path log_file);
    ~DaemonProcess();
    DaemonProcess(const DaemonProcess&) = delete;
    DaemonProcess& operator=(const DaemonProcess&) = delete;

    // Starts `redress ARGS...` (stderr and stdout appended to the log file). False if it could not start.
    bool start(const std::vector<std::string>& args);
    // Starts `redress serve --data-dir DIR [--config FILE]` and waits for its daemon.ready line.
    bool serve(const std::filesystem::path& data_dir, const std::filesystem::path& config = {},
               std::chrono::milliseconds ready_limit = std::chrono::seconds(20));

    pid_t pid() const { return m_pid; }
    bool running();
    void signal(int sig) const;

    // SIGTERM, then waits (at most `limit`) for the exit. Returns the exit code, or nullopt when the
    // process did not stop in time (it is then killed) or died of a signal.
    std::optional<int> terminate(std::chrono::milliseconds limit = std::chrono::seconds(20));
    // Waits for the exit without signalling; the same answers as terminate.
    std::optional<int> wait_exit(std::chrono::milliseconds limit);
    // SIGKILL and reap: the crash.
    void kill_hard();

    std::string log() const;
    const std::filesystem::path& log_file() const { return m_log_file; }
    // How many log lines contain `text`.
    int count_log(const std::string& text) const;
    bool wait_for_log(const std::string& text, std::chrono::milliseconds limit, int times = 1) const;

private:
    std::filesystem::path m_log_file;
    pid_t m_pid = -1;
    std::optional<int> m_status;  // the wait status once reaped
};

}  // namespace redress::testing
