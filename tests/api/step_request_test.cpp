#include "api/errors.hpp"
#include "api/step_request.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace redress;
using tickets::StepKind;

TEST(StepRequest, ReadsEachStepsFields)
{
    auto v = api::parse_step_request(StepKind::verdict, R"({"verdict":"justified","reason":"the courier dropped it"})");
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->step.kind, StepKind::verdict);
    EXPECT_EQ(v->step.verdict, "justified");
    EXPECT_EQ(v->step.reason, "the courier dropped it");
    EXPECT_FALSE(v->preview);

    auto a = api::parse_step_request(
        StepKind::add_action, R"({"for":"process","text":"pad parcels","responsible":"Bob","due":"2026-12-04"})");
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->step.target, "process");
    ASSERT_TRUE(a->step.due);
    EXPECT_EQ(format_iso8601_utc(*a->step.due), "2026-12-04T00:00:00Z");

    auto u = api::parse_step_request(StepKind::update_action, R"({"state":"done","note":"sent by courier"})");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->step.action_state, "done");
    EXPECT_EQ(u->step.note, "sent by courier");

    auto c = api::parse_step_request(
        StepKind::reclassify, R"({"kind":"complaint","severity":"major","reason":"a chargeback is threatened"})");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->step.new_kind, "complaint");
    EXPECT_EQ(c->step.new_severity, "major");
    EXPECT_EQ(c->step.reason, "a chargeback is threatened");
    auto typo = api::parse_step_request(StepKind::reclassify, R"({"kind":"complaint","severty":"major"})");
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find("\"severity\""), std::string::npos) << typo.error().message;
}

TEST(StepRequest, TakesPreviewAndThePersonsOwnLetter)
{
    auto r = api::parse_step_request(StepKind::resolve,
                                     R"({"summary":"refunded","preview":true,"letter":{"body":"Dear Anna"}})");
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_TRUE(r->preview);
    ASSERT_TRUE(r->letter_body);
    EXPECT_EQ(*r->letter_body, "Dear Anna");
    auto empty = api::parse_step_request(StepKind::take, "");
    ASSERT_TRUE(empty);
    EXPECT_FALSE(empty->preview);
}

TEST(StepRequest, RefusesWhatItCannotReadNamingTheField)
{
    auto not_json = api::parse_step_request(StepKind::take, "{nope");
    ASSERT_FALSE(not_json);
    EXPECT_EQ(not_json.error().kind, ErrorKind::invalid);
    auto array = api::parse_step_request(StepKind::take, "[]");
    ASSERT_FALSE(array);
    auto typed = api::parse_step_request(StepKind::verdict, R"({"verdict":true})");
    ASSERT_FALSE(typed);
    EXPECT_NE(typed.error().message.find("\"verdict\" must be text"), std::string::npos);
    auto unknown = api::parse_step_request(StepKind::signoff, R"({"code":"FIXED","cod":"x"})");
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().message.find("\"cod\""), std::string::npos);
    EXPECT_NE(unknown.error().message.find("\"code\""), std::string::npos);
    auto date = api::parse_step_request(StepKind::add_action, R"({"due":"next friday"})");
    ASSERT_FALSE(date);
    EXPECT_NE(date.error().message.find("\"due\""), std::string::npos);
    auto letter = api::parse_step_request(StepKind::reply, R"({"text":"hi","letter":"plain"})");
    ASSERT_FALSE(letter);
    auto preview = api::parse_step_request(StepKind::reply, R"({"text":"hi","preview":"yes"})");
    ASSERT_FALSE(preview);
}

TEST(IfMatch, ReadsOurETagsAndRefusesOthers)
{
    EXPECT_EQ(api::etag(12), "\"v12\"");
    auto none = api::parse_if_match(std::nullopt);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    auto any = api::parse_if_match("*");
    ASSERT_TRUE(any);
    EXPECT_FALSE(*any);
    auto v = api::parse_if_match("\"v12\"");
    ASSERT_TRUE(v);
    EXPECT_EQ(**v, 12);
    auto weak = api::parse_if_match("W/\"v3\"");
    ASSERT_TRUE(weak);
    EXPECT_EQ(**weak, 3);
    EXPECT_FALSE(api::parse_if_match("12"));
    EXPECT_FALSE(api::parse_if_match("\"vX\""));
    EXPECT_FALSE(api::parse_if_match("\"v99999999999999999999\""));
}

TEST(ApiErrors, KindsBecomeStatusesAndInternalDetailsStayInside)
{
    EXPECT_EQ(api::http_status(make_error(ErrorKind::invalid, "x", "y")), 422);
    EXPECT_EQ(api::http_status(make_error(ErrorKind::refused, "x", "y")), 403);
    EXPECT_EQ(api::http_status(make_error(ErrorKind::conflict, "x", "y")), 409);
    EXPECT_EQ(api::http_status(make_error(ErrorKind::not_found, "x", "y")), 404);
    EXPECT_EQ(api::http_status(make_error(ErrorKind::transient, "x", "y")), 503);
    auto r = api::error_response(make_error("sqlite", "disk I/O error at /secret/path"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body.find("/secret/path"), std::string::npos);
    auto c =
        api::error_response(make_error(ErrorKind::conflict, "workflow.state", "Cannot resolve RD-1: take it first."));
    auto body = nlohmann::json::parse(c.body);
    EXPECT_EQ(body["error"], "workflow.state");
    EXPECT_EQ(body["message"], "Cannot resolve RD-1: take it first.");
}
