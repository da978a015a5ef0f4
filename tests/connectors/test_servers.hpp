#pragma once
// Real servers for the connector tests, started through tests/servers/*.sh on a free loopback port
// in a fresh temporary directory, and stopped by the PID the script wrote.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace redress::testing {

int free_port();
std::filesystem::path make_temp_dir();
// Runs a shell command; returns its exit status and, through `output`, what it printed.
int run_command(const std::string& command, std::string* output = nullptr);
std::string servers_dir();

class DovecotServer {
public:
    // Returns why not when Dovecot is not installed.
    static std::optional<std::string> unavailable();

    DovecotServer();
    ~DovecotServer();

    // `capability` replaces the advertised capabilities (empty: Dovecot's own).
    bool start(int tls_port = 0, const std::string& capability = {});
    bool restart();
    void stop();

    int port() const { return m_port; }
    int tls_port() const { return m_tls_port; }
    std::filesystem::path dir() const { return m_dir; }
    std::filesystem::path ca_file() const { return m_dir / "tls" / "cert.pem"; }
    std::string url(const std::string& folder = "INBOX") const;

    // doveadm with the server's config, as the test user.
    int doveadm(const std::string& arguments, std::string* output = nullptr) const;
    // Delivers a message as unread (doveadm save; curl's APPEND would set \Seen).
    bool save(const std::string& message, const std::string& folder = "INBOX") const;
    // Flags of each message in the folder, keyed by UID.
    std::vector<std::pair<unsigned, std::string>> flags(const std::string& folder = "INBOX") const;
    unsigned uidvalidity(const std::string& folder = "INBOX") const;

private:
    std::filesystem::path m_dir;
    int m_port = 0;
    int m_tls_port = 0;
    std::string m_capability;
    bool m_running = false;
};

// A throw-away certificate authority and a server certificate it signed for 127.0.0.1 and
// localhost, made with openssl in `dir` at test time (no key is ever committed), and a second CA
// that signed nothing here: "the wrong CA".
struct TestCertificates {
    std::filesystem::path ca;  // PEM: what ca_file names
    std::filesystem::path server_cert;
    std::filesystem::path server_key;
    std::filesystem::path other_ca;
};
// nullopt (and why) when openssl is missing or fails.
std::optional<TestCertificates> make_test_certificates(const std::filesystem::path& dir, std::string* why = nullptr);

// How the SMTP server speaks TLS: not at all, STARTTLS required (RFC 3207), or implicit TLS from
// the first byte (smtps, RFC 8314).
struct SmtpTls {
    enum class Mode { none, starttls, smtps };
    Mode mode = Mode::none;
    std::filesystem::path cert;
    std::filesystem::path key;
    std::string auth;  // "user:password": AUTH required (after TLS) before MAIL
};

class SmtpServer {
public:
    static std::optional<std::string> unavailable();

    SmtpServer();
    ~SmtpServer();
    bool start(const SmtpTls& tls = {});
    void stop();
    int port() const { return m_port; }
    std::string url() const
    {
        return (m_mode == SmtpTls::Mode::smtps ? "smtps://127.0.0.1:" : "smtp://127.0.0.1:") + std::to_string(m_port);
    }
    std::filesystem::path dir() const { return m_dir; }
    // The messages delivered so far, as the Maildir holds them.
    std::vector<std::string> delivered() const;

private:
    std::filesystem::path m_dir;
    int m_port = 0;
    bool m_running = false;
    SmtpTls::Mode m_mode = SmtpTls::Mode::none;
};

// A small RFC 5322 message with the given Message-ID and subject.
std::string sample_message(const std::string& message_id, const std::string& subject,
                           const std::string& body = "Hello.");

}  // namespace redress::testing
