#pragma once
// What the pipeline and the service do with the files of a message or a letter (issue 18): each is
// kept in the attachment store (attachments::FileStore) before the transaction that refers to it, or
// listed with the reason when it is over a cap; and the sweep that removes files nobody refers to.

#include "attachments/file_store.hpp"
#include "common/result.hpp"
#include "common/time.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

#include <string>
#include <vector>

namespace redress::pipeline {

struct IncomingFile {
    std::string name;
    std::string declared_type;
    std::string content_id;    // without angle brackets
    bool inline_part = false;  // an HTML mail's picture (Content-Disposition: inline)
    std::string bytes;
};

// The files of a mail (or of the complaint form's RFC 5322 copy), bytes decoded; none when it has
// none. Errors only when the bytes cannot be read as a message at all.
Result<std::vector<IncomingFile>> files_of_mail(std::string_view bytes);

// Keeps each file that fits the caps (attachments.max_file_size per file, max_message_size for the
// kept files together, in order) and returns a row for every file: with its digest, or with the reason
// it was not kept. The rows have no message, letter or ticket yet. Errors: the file store's (a full
// disk is transient: the message stays at its source and comes again).
Result<std::vector<store::AttachmentRecord>> keep_files(const std::vector<IncomingFile>& files,
                                                        const config::Attachments& caps,
                                                        attachments::FileStore& file_store, TimePoint now);

// Rows for files that were named but never came as bytes (a chat's file ids, not fetched).
std::vector<store::AttachmentRecord> listed_files(const Message& message, std::string_view reason);

// Removes the files under <data_dir>/attachments that no row refers to and that are older than
// attachments.sweep_grace. The daemon runs it at start and daily; logged with its counts.
Result<attachments::SweepReport> sweep_attachments(store::Queries& queries, const config::Config& config,
                                                   TimePoint now);

}  // namespace redress::pipeline
