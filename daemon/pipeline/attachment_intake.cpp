#include "attachment_intake.hpp"

#include "attachments/file_type.hpp"
#include "common/log.hpp"
#include "mime/attachment_parts.hpp"

#include <set>

namespace redress::pipeline {

Result<std::vector<IncomingFile>> files_of_mail(std::string_view bytes)
{
    auto parts = TRY(mime::attachment_parts(bytes));
    std::vector<IncomingFile> files;
    files.reserve(parts.size());
    for (auto& part : parts)
        files.push_back(IncomingFile{std::move(part.filename), std::move(part.content_type), std::move(part.content_id),
                                     part.inline_part, std::move(part.bytes)});
    return files;
}

Result<std::vector<store::AttachmentRecord>> keep_files(const std::vector<IncomingFile>& files,
                                                        const config::Attachments& caps,
                                                        attachments::FileStore& file_store, TimePoint now)
{
    std::vector<store::AttachmentRecord> rows;
    std::int64_t kept = 0;
    for (const IncomingFile& file : files) {
        store::AttachmentRecord row;
        row.name = file.name;
        row.declared_type = file.declared_type;
        row.sniffed_type = attachments::sniff_type(file.bytes);
        row.size = static_cast<std::int64_t>(file.bytes.size());
        row.inline_part = file.inline_part;
        row.content_id = file.content_id;
        if (row.size > caps.max_file_size) {
            row.refused = "over the limit of " + std::to_string(caps.max_file_size) +
                          " bytes per file (attachments.max_file_size)";
        } else if (kept + row.size > caps.max_message_size) {
            row.refused = "over the limit of " + std::to_string(caps.max_message_size) +
                          " bytes of files per message (attachments.max_message_size)";
        } else {
            row.sha256 = TRY(file_store.put(file.bytes, now));
            kept += row.size;
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<store::AttachmentRecord> listed_files(const Message& message, std::string_view reason)
{
    std::vector<store::AttachmentRecord> rows;
    for (const Attachment& a : message.attachments) {
        store::AttachmentRecord row;
        row.name = a.filename;
        row.declared_type = a.content_type;
        row.size = static_cast<std::int64_t>(a.size);
        row.refused = std::string(reason);
        rows.push_back(std::move(row));
    }
    return rows;
}

Result<attachments::SweepReport> sweep_attachments(store::Queries& queries, const config::Config& config, TimePoint now)
{
    // The digests are read before the folder is: a file a transaction refers to after this read is
    // younger than the grace period (FileStore::put sets its time), so it stays.
    auto digests = TRY(queries.attachment_digests());
    std::set<std::string> referenced(digests.begin(), digests.end());
    attachments::FileStore files(config.attachments_dir());
    auto report = files.sweep(referenced, now, config.attachments.sweep_grace);
    log::info("attachments.swept", {{"removed", std::to_string(report.removed)},
                                    {"kept", std::to_string(report.kept)},
                                    {"failed", std::to_string(report.failed)}});
    return report;
}

}  // namespace redress::pipeline
