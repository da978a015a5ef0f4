#include "daemon_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace redress::testing {

namespace {

using namespace std::chrono_literals;

std::string read_whole(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The child's environment: ours, with REDRESS_HOME pointing at the repository, so the binary finds
// templates, rules and model no matter where the build directory is.
std::vector<std::string> child_environment()
{
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        if (std::strncmp(*e, "REDRESS_HOME=", 13) != 0)
            env.emplace_back(*e);
    }
    env.push_back("REDRESS_HOME=" + redress_home());
    return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings)
{
    std::vector<char*> out;
    for (auto& s : strings)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// posix_spawn with stdin from /dev/null and stdout/stderr appended to the given files.
pid_t spawn_redress(const std::vector<std::string>& args, const std::filesystem::path& out_file,
                    const std::filesystem::path& err_file, const std::filesystem::path& in_file = "/dev/null")
{
    std::vector<std::string> argv{redress_binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    auto env = child_environment();
    auto argv_p = pointers(argv);
    auto env_p = pointers(env);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in_file.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (err_file == out_file)
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
    else
        posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, argv_p[0], &actions, nullptr, argv_p.data(), env_p.data());
    posix_spawn_file_actions_destroy(&actions);
    return rc == 0 ? pid : -1;
}

// Waits for `pid` at most `limit`; returns its wait status, or nullopt if it is still running.
std::optional<int> reap_within(pid_t pid, std::chrono::milliseconds limit)
{
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0)
            return std::nullopt;
        if (std::chrono::steady_clock::now() >= deadline)
            return std::nullopt;
        std::this_thread::sleep_for(10ms);
    }
}

std::optional<int> exit_code_of(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return std::nullopt;
}

}  // namespace

std::string redress_binary()
{
    return REDRESS_BINARY;
}

std::string redress_home()
{
    return REDRESS_SOURCE_DIR;
}

CommandResult run_redress(const std::vector<std::string>& args, std::chrono::milliseconds limit,
                          const std::optional<std::string>& input)
{
    CommandResult result;
    char pattern[] = "/tmp/redress-cmd-XXXXXX";
    if (!::mkdtemp(pattern))
        return result;
    std::filesystem::path dir(pattern);
    std::filesystem::path in_file = "/dev/null";
    if (input) {
        in_file = dir / "in";
        std::ofstream(in_file, std::ios::binary) << *input;
    }
    pid_t pid = spawn_redress(args, dir / "out", dir / "err", in_file);
    if (pid > 0) {
        auto status = reap_within(pid, limit);
        if (!status) {
            ::kill(pid, SIGKILL);
            status = reap_within(pid, 5s);
        }
        if (status)
            result.exit_code = exit_code_of(*status).value_or(-1);
    }
    result.out = read_whole(dir / "out");
    result.err = read_whole(dir / "err");
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return result;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit, std::chrono::milliseconds step)
{
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        if (done())
            return true;
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
        std::this_thread::sleep_for(step);
    }
}

DaemonProcess::DaemonProcess(std::filesystem::path log_file)
    : m_log_file(std::move(log_file))
{
}

DaemonProcess::~DaemonProcess()
{
    // A test that failed half-way must not leave a daemon behind: kill it by its PID.
    if (m_pid > 0 && !m_status)
        kill_hard();
}

bool DaemonProcess::start(const std::vector<std::string>& args)
{
    if (m_pid > 0 && !m_status)
        return false;
    m_status.reset();
    m_pid = spawn_redress(args, m_log_file, m_log_file);
    return m_pid > 0;
}

bool DaemonProcess::serve(const std::filesystem::path& data_dir, const std::filesystem::path& config,
                          std::chrono::milliseconds ready_limit)
{
    std::vector<std::string> args{"serve", "--data-dir", data_dir.string()};
    if (!config.empty()) {
        args.push_back("--config");
        args.push_back(config.string());
    }
    int before = count_log("daemon.ready");
    if (!start(args))
        return false;
    return wait_until([&] { return count_log("daemon.ready") > before || !running(); }, ready_limit) && running();
}

bool DaemonProcess::running()
{
    if (m_pid <= 0 || m_status)
        return false;
    int status = 0;
    if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_status = status;
        return false;
    }
    return true;
}

void DaemonProcess::signal(int sig) const
{
    if (m_pid > 0 && !m_status)
        ::kill(m_pid, sig);
}

std::optional<int> DaemonProcess::wait_exit(std::chrono::milliseconds limit)
{
    if (m_pid <= 0)
        return std::nullopt;
    if (!m_status) {
        m_status = reap_within(m_pid, limit);
        if (!m_status) {
            kill_hard();
            return std::nullopt;
        }
    }
    return exit_code_of(*m_status);
}

std::optional<int> DaemonProcess::terminate(std::chrono::milliseconds limit)
{
    signal(SIGTERM);
    return wait_exit(limit);
}

void DaemonProcess::kill_hard()
{
    if (m_pid <= 0 || m_status)
        return;
    ::kill(m_pid, SIGKILL);
    m_status = reap_within(m_pid, 10s);
}

std::string DaemonProcess::log() const
{
    return read_whole(m_log_file);
}

int DaemonProcess::count_log(const std::string& text) const
{
    std::istringstream lines(log());
    std::string line;
    int n = 0;
    while (std::getline(lines, line))
        if (line.find(text) != std::string::npos)
            ++n;
    return n;
}

bool DaemonProcess::wait_for_log(const std::string& text, std::chrono::milliseconds limit, int times) const
{
    return wait_until([&] { return count_log(text) >= times; }, limit, std::chrono::milliseconds(20));
}

}  // namespace redress::testing
