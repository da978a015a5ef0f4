#include "test_servers.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace redress::testing {

namespace {

std::string quote(const std::string& text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

}  // namespace

int free_port()
{
    // Bind to port 0 and let the kernel choose; the port is free again when we close it, and
    // ephemeral ports are handed out in sequence, so a clash with another test is unlikely.
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

std::filesystem::path make_temp_dir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "redress-conn-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    return made ? std::filesystem::path(made) : std::filesystem::path();
}

int run_command(const std::string& command, std::string* output)
{
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe)
        return -1;
    std::string text;
    std::array<char, 4096> buffer{};
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        text.append(buffer.data(), n);
    int status = ::pclose(pipe);
    if (output)
        *output = text;
    else if (status != 0)
        std::fprintf(stderr, "%s\n%s", command.c_str(), text.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string servers_dir()
{
    return std::string(REDRESS_SOURCE_DIR) + "/tests/servers";
}

std::optional<std::string> DovecotServer::unavailable()
{
    std::string output;
    if (run_command(quote(servers_dir() + "/dovecot.sh") + " check", &output) != 0)
        return "Dovecot is not installed: " + output;
    return std::nullopt;
}

DovecotServer::DovecotServer()
    : m_dir(make_temp_dir())
{
}

DovecotServer::~DovecotServer()
{
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

bool DovecotServer::start(int tls_port, const std::string& capability)
{
    m_port = free_port();
    m_tls_port = tls_port;
    m_capability = capability;
    return restart();
}

bool DovecotServer::restart()
{
    std::string command;
    if (!m_capability.empty())
        command += "DOVECOT_CAPABILITY=" + quote(m_capability) + " ";
    command += quote(servers_dir() + "/dovecot.sh") + " start " + quote(m_dir.string()) + " " + std::to_string(m_port);
    if (m_tls_port != 0)
        command += " " + std::to_string(m_tls_port);
    m_running = run_command(command) == 0;
    return m_running;
}

void DovecotServer::stop()
{
    if (!m_running)
        return;
    run_command(quote(servers_dir() + "/dovecot.sh") + " stop " + quote(m_dir.string()));
    m_running = false;
}

std::string DovecotServer::url(const std::string& folder) const
{
    return "imap://127.0.0.1:" + std::to_string(m_port) + "/" + folder;
}

int DovecotServer::doveadm(const std::string& arguments, std::string* output) const
{
    return run_command(quote(servers_dir() + "/dovecot.sh") + " doveadm " + quote(m_dir.string()) + " " + arguments,
                       output);
}

bool DovecotServer::save(const std::string& message, const std::string& folder) const
{
    auto file = m_dir / "incoming.eml";
    {
        std::ofstream out(file, std::ios::binary);
        out << message;
    }
    return doveadm("save -u support -m " + quote(folder) + " < " + quote(file.string())) == 0;
}

std::vector<std::pair<unsigned, std::string>> DovecotServer::flags(const std::string& folder) const
{
    std::string output;
    std::vector<std::pair<unsigned, std::string>> out;
    if (doveadm("fetch -u support 'uid flags' mailbox " + quote(folder) + " all", &output) != 0)
        return out;
    std::istringstream lines(output);
    std::string line;
    unsigned uid = 0;
    while (std::getline(lines, line)) {
        if (line.rfind("uid: ", 0) == 0)
            uid = static_cast<unsigned>(std::stoul(line.substr(5)));
        else if (line.rfind("flags:", 0) == 0)
            out.emplace_back(uid, line.size() > 7 ? line.substr(7) : std::string());
    }
    return out;
}

unsigned DovecotServer::uidvalidity(const std::string& folder) const
{
    std::string output;
    if (doveadm("mailbox status -u support uidvalidity " + quote(folder), &output) != 0)
        return 0;
    auto pos = output.find("uidvalidity=");
    return pos == std::string::npos ? 0 : static_cast<unsigned>(std::stoul(output.substr(pos + 12)));
}

std::optional<std::string> SmtpServer::unavailable()
{
    std::string output;
    if (run_command(quote(servers_dir() + "/smtp.sh") + " check", &output) != 0)
        return "aiosmtpd is not installed: " + output;
    return std::nullopt;
}

SmtpServer::SmtpServer()
    : m_dir(make_temp_dir())
{
}

SmtpServer::~SmtpServer()
{
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(m_dir, ignored);
}

bool SmtpServer::start(const SmtpTls& tls)
{
    m_port = free_port();
    m_mode = tls.mode;
    std::string command =
        quote(servers_dir() + "/smtp.sh") + " start " + quote(m_dir.string()) + " " + std::to_string(m_port);
    if (tls.mode != SmtpTls::Mode::none) {
        command += std::string(" --mode ") + (tls.mode == SmtpTls::Mode::smtps ? "smtps" : "starttls") + " --cert " +
                   quote(tls.cert.string()) + " --key " + quote(tls.key.string());
        if (!tls.auth.empty())
            command += " --auth " + quote(tls.auth);
    }
    m_running = run_command(command) == 0;
    return m_running;
}

std::optional<TestCertificates> make_test_certificates(const std::filesystem::path& dir, std::string* why)
{
    std::filesystem::create_directories(dir);
    TestCertificates out{dir / "ca.pem", dir / "server.pem", dir / "server.key", dir / "other-ca.pem"};
    std::ofstream(dir / "server.ext") << "basicConstraints=CA:FALSE\n"
                                         "keyUsage=digitalSignature,keyEncipherment\n"
                                         "extendedKeyUsage=serverAuth\n"
                                         "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    // Elliptic-curve keys: made in milliseconds, where RSA keys would slow every test down.
    const std::string new_key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string ca_extensions =
        " -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'";
    auto in_dir = [&](const std::string& command) { return "cd " + quote(dir.string()) + " && " + command; };
    for (const std::string& command : {
             in_dir("openssl req -x509" + new_key + " -keyout ca.key -out ca.pem -days 2 -subj '/CN=Redress test CA'" +
                    ca_extensions),
             in_dir("openssl req -x509" + new_key +
                    " -keyout other-ca.key -out other-ca.pem -days 2 -subj '/CN=Another CA'" + ca_extensions),
             in_dir("openssl req" + new_key + " -keyout server.key -out server.csr -subj '/CN=127.0.0.1'"),
             in_dir("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2"
                    " -extfile server.ext"),
         }) {
        std::string output;
        if (run_command(command, &output) != 0) {
            if (why)
                *why = command + ": " + output;
            return std::nullopt;
        }
    }
    return out;
}

void SmtpServer::stop()
{
    if (!m_running)
        return;
    run_command(quote(servers_dir() + "/smtp.sh") + " stop " + quote(m_dir.string()));
    m_running = false;
}

std::vector<std::string> SmtpServer::delivered() const
{
    std::vector<std::string> out;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (auto& entry : std::filesystem::directory_iterator(m_dir / "maildir" / "new", ec))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        out.push_back(text.str());
    }
    return out;
}

std::string sample_message(const std::string& message_id, const std::string& subject, const std::string& body)
{
    return "From: Anna Petrova <anna@example.org>\r\n"
           "To: Support <support@example.com>\r\n"
           "Subject: " +
           subject +
           "\r\n"
           "Date: Thu, 26 Nov 2026 09:15:00 +0300\r\n"
           "Message-ID: <" +
           message_id +
           ">\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "\r\n" +
           body + "\r\n";
}

}  // namespace redress::testing
