#pragma once
// Letters out through an SMTP server (smtp://, smtps://, or smtp:// with STARTTLS), over libcurl.
// The envelope sender is the company's support address; the recipient is the letter's; the data is
// the letter's whole RFC 5322 text, which already carries its Message-ID, so a retry sends the same
// message and the customer's mail client can tell the copies apart.

#include "config/config.hpp"
#include "connectors/letter_sender.hpp"

#include <chrono>
#include <mutex>
#include <string>

namespace redress::connectors::smtp {

struct SmtpTiming {
    std::chrono::milliseconds connect_timeout{15'000};
    std::chrono::milliseconds total_timeout{120'000};  // one letter, greeting to final reply
};

class SmtpSender final : public LetterSender {
public:
    SmtpSender(config::Smtp config, std::string envelope_from, SmtpTiming timing = {});
    ~SmtpSender() override;
    SmtpSender(const SmtpSender&) = delete;
    SmtpSender& operator=(const SmtpSender&) = delete;

    // Safe to call from several threads; letters go out one at a time over one kept connection.
    SendResult send(const Letter& letter) override;

private:
    config::Smtp m_config;
    std::string m_envelope_from;
    SmtpTiming m_timing;
    std::mutex m_mutex;
    void* m_curl = nullptr;
};

}  // namespace redress::connectors::smtp
