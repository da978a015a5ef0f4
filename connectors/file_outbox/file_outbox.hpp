#pragma once
// The embedded default sender: each letter becomes <data_dir>/outbox/<time>-<template>-<letter id>.eml,
// the RFC 5322 message exactly as SMTP would carry it. Letters of other channels are written as .txt.

#include "connectors/letter_sender.hpp"

#include <filesystem>

namespace redress::connectors {

class FileOutbox final : public LetterSender {
public:
    explicit FileOutbox(std::filesystem::path dir);
    SendResult send(const Letter& letter) override;
    std::filesystem::path path_for(const Letter& letter) const;

private:
    std::filesystem::path m_dir;
};

}  // namespace redress::connectors
