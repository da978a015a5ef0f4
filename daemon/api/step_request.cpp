#include "step_request.hpp"

#include "mime/transfer_decoder.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <vector>

namespace redress::api {

using nlohmann::json;

namespace {

Error bad(std::string message)
{
    return make_error(ErrorKind::invalid, "api.body", std::move(message));
}

// The fields each step reads besides "preview" and "letter".
std::set<std::string> fields_of(tickets::StepKind kind)
{
    using K = tickets::StepKind;
    switch (kind) {
    case K::take:
        return {};
    case K::verdict:
        return {"verdict", "reason", "offer"};
    case K::add_action:
        return {"for", "text", "responsible", "due"};
    case K::update_action:
        return {"state", "note"};
    case K::assign:
        return {"assignee"};
    case K::department:
        return {"department", "category"};
    case K::resolve:
        return {"summary"};
    case K::signoff:
        return {"code"};
    case K::reopen:
        return {"reason"};
    case K::reply:
        return {"text", "template", "files"};
    case K::note:
        return {"text"};
    case K::responded:
    case K::waiting:
        return {"note"};
    case K::reclassify:
        return {"kind", "severity", "reason"};
    }
    return {};
}

Result<std::string> text_field(const json& body, const char* name)
{
    auto it = body.find(name);
    if (it == body.end() || it->is_null())
        return std::string();
    if (!it->is_string())
        return bad("\"" + std::string(name) + "\" must be text, not " + std::string(it->type_name()) + ".");
    return it->get<std::string>();
}

// "files": [{"name": "photo.jpg", "type": "image/jpeg", "content_base64": "..."}]
Result<std::vector<letters::FileAttachment>> files_field(const json& body)
{
    std::vector<letters::FileAttachment> files;
    auto it = body.find("files");
    if (it == body.end() || it->is_null())
        return files;
    const char* shape =
        "\"files\" must be a list of {\"name\": \"...\", \"type\": \"...\", \"content_base64\": \"...\"}.";
    if (!it->is_array())
        return bad(shape);
    for (const auto& f : *it) {
        if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("content_base64") ||
            !f["content_base64"].is_string() || (f.contains("type") && !f["type"].is_string()))
            return bad(shape);
        for (const auto& [key, value] : f.items())
            if (key != "name" && key != "type" && key != "content_base64")
                return bad("Unknown field \"" + key + "\" in a file; " + shape);
        auto bytes = mime::TransferDecoder::decode_base64_strict(f["content_base64"].get<std::string>());
        if (!bytes)
            return bad("The file \"" + f["name"].get<std::string>() + "\" is not valid base64 in \"content_base64\".");
        std::string name = f["name"].get<std::string>();
        if (name.find_first_not_of(" \t") == std::string::npos)
            return bad("Each file needs a \"name\".");
        files.push_back(letters::FileAttachment{
            std::move(name), f.value("type", std::string("application/octet-stream")), std::move(*bytes)});
    }
    return files;
}

}  // namespace

std::optional<TimePoint> parse_due(std::string_view text)
{
    if (text.size() == 10 && text[4] == '-' && text[7] == '-')
        return parse_iso8601(std::string(text) + "T00:00:00Z");
    return parse_iso8601(text);
}

Result<StepRequest> step_request(tickets::StepKind kind, const json& body)
{
    if (!body.is_object())
        return bad("The body must be a JSON object, such as {} or {\"reason\": \"...\"}.");
    auto fields = fields_of(kind);
    for (const auto& [key, value] : body.items()) {
        if (key == "preview" || key == "letter" || fields.contains(key))
            continue;
        std::string known;
        for (const auto& f : fields)
            known += (known.empty() ? "" : ", ") + ("\"" + f + "\"");
        return bad("Unknown field \"" + key + "\" for " + std::string(tickets::to_string(kind)) +
                   (known.empty() ? std::string(": it takes none besides \"preview\" and \"letter\".")
                                  : "; it takes " + known + " (and \"preview\", \"letter\")."));
    }

    StepRequest out;
    out.step.kind = kind;
    if (auto it = body.find("preview"); it != body.end()) {
        if (!it->is_boolean())
            return bad("\"preview\" must be true or false.");
        out.preview = it->get<bool>();
    }
    if (auto it = body.find("letter"); it != body.end() && !it->is_null()) {
        if (!it->is_object() || !it->contains("body") || !(*it)["body"].is_string())
            return bad(
                "\"letter\" must be an object with the letter's text in \"body\": {\"letter\": {\"body\": \"...\"}}.");
        out.letter_body = (*it)["body"].get<std::string>();
    }

    out.files = TRY(files_field(body));

    tickets::Step& s = out.step;
    s.verdict = TRY(text_field(body, "verdict"));
    s.reason = TRY(text_field(body, "reason"));
    s.offer = TRY(text_field(body, "offer"));
    s.text = TRY(text_field(body, "text"));
    s.letter_template = TRY(text_field(body, "template"));
    s.summary = TRY(text_field(body, "summary"));
    s.code = TRY(text_field(body, "code"));
    s.assignee = TRY(text_field(body, "assignee"));
    s.department = TRY(text_field(body, "department"));
    s.category = TRY(text_field(body, "category"));
    s.target = TRY(text_field(body, "for"));
    s.responsible = TRY(text_field(body, "responsible"));
    s.note = TRY(text_field(body, "note"));
    s.action_state = TRY(text_field(body, "state"));
    s.new_kind = TRY(text_field(body, "kind"));
    s.new_severity = TRY(text_field(body, "severity"));
    std::string due = TRY(text_field(body, "due"));
    if (!due.empty()) {
        s.due = parse_due(due);
        if (!s.due)
            return bad("\"due\" must be a date such as 2026-12-04 (or a time such as 2026-12-04T17:00:00Z); found \"" +
                       due + "\".");
    }
    return out;
}

Result<StepRequest> parse_step_request(tickets::StepKind kind, std::string_view body)
{
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return step_request(kind, json::object());
    json parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded())
        return bad("The body is not valid JSON.");
    return step_request(kind, parsed);
}

std::string etag(std::int64_t version)
{
    return "\"v" + std::to_string(version) + "\"";
}

Result<std::optional<std::int64_t>> parse_if_match(std::optional<std::string> header)
{
    if (!header)
        return std::optional<std::int64_t>{};
    std::string_view v = *header;
    while (!v.empty() && v.front() == ' ')
        v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ')
        v.remove_suffix(1);
    if (v == "*")
        return std::optional<std::int64_t>{};
    if (v.starts_with("W/"))
        v.remove_prefix(2);
    if (v.size() < 4 || v.front() != '"' || v.back() != '"' || v[1] != 'v')
        return make_error(ErrorKind::invalid, "api.if_match",
                          "If-Match must be the ETag of GET /tickets/{number}, such as \"v12\"; found " + *header +
                              ".");
    std::int64_t version = 0;
    for (char c : v.substr(2, v.size() - 3)) {
        if (c < '0' || c > '9')
            return make_error(ErrorKind::invalid, "api.if_match", "If-Match must be an ETag such as \"v12\".");
        version = version * 10 + (c - '0');
        if (version > (1LL << 53))
            return make_error(ErrorKind::invalid, "api.if_match", "If-Match holds no version of ours.");
    }
    return std::optional<std::int64_t>{version};
}

}  // namespace redress::api
