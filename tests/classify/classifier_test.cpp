// The whole decision with the shipped rules and model: headers first, then kind, severity, language.

#include "classify/classifier.hpp"
#include "classify/linear_model.hpp"
#include "classify/rule_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace redress;
using namespace redress::classify;

namespace {

const Classifier& shipped()
{
    static const Classifier classifier = [] {
        auto c = Classifier::load(std::string(REDRESS_SOURCE_DIR) + "/config/rules",
                                  std::string(REDRESS_SOURCE_DIR) + "/config/model/classifier.bin");
        if (!c)
            throw std::runtime_error(c.error().message);
        return std::move(c).value();
    }();
    return classifier;
}

Message mail(std::string subject, std::string text)
{
    Message m;
    m.from.address = "customer@example.org";
    m.subject = std::move(subject);
    m.text = std::move(text);
    return m;
}

}  // namespace

TEST(Classifier, AutoReplyIsAutomaticWhateverTheText)
{
    auto m = mail("Out of office", "I am away until Monday. This is a complaint about nothing.");
    m.headers.push_back({"Auto-Submitted", "auto-replied"});
    auto c = shipped().classify(m);
    EXPECT_EQ(c.kind, Kind::automatic);
    EXPECT_EQ(c.severity, Severity::normal);
    EXPECT_EQ(c.reasons.at(0), "header Auto-Submitted: auto-replied");
    EXPECT_EQ(c.language, "en");
}

TEST(Classifier, BulkMailIsMarkedAndStillClassified)
{
    auto m = mail("Newsletter", "Congratulations! You have won a prize, click here to claim it now.");
    m.headers.push_back({"List-Unsubscribe", "<mailto:leave@example.org>"});
    auto c = shipped().classify(m);
    EXPECT_TRUE(c.bulk);
    EXPECT_EQ(c.kind, Kind::spam);
    EXPECT_EQ(c.reasons.at(0), "header List-Unsubscribe: <mailto:leave@example.org>");
}

TEST(Classifier, KindsInSeveralLanguages)
{
    EXPECT_EQ(
        shipped().classify(mail("Order 1234", "My order arrived broken and support never answered. Terrible.")).kind,
        Kind::complaint);
    EXPECT_EQ(shipped().classify(mail("", "Спасибо большое, всё пришло вовремя!")).kind, Kind::gratitude);
    EXPECT_EQ(shipped().classify(mail("", "Wie kann ich meine Lieferadresse ändern?")).kind, Kind::question);
    EXPECT_EQ(shipped().classify(mail("", "Sugiero añadir un modo oscuro a la aplicación.")).kind, Kind::suggestion);
}

TEST(Classifier, MajorSeverityWithReason)
{
    auto c = shipped().classify(mail("Refund", "Your heater caught fire. I have spoken to my lawyer."));
    EXPECT_EQ(c.kind, Kind::complaint);
    EXPECT_EQ(c.severity, Severity::major);
    bool legal = false;
    for (auto& r : c.reasons)
        legal = legal || r == "severity en/legal: lawyer";
    EXPECT_TRUE(legal);
}

TEST(Classifier, AMajorMatterNoHeadClaimsIsTakenForAComplaint)
{
    // Short threats the model alone is unsure of: recall first, they get a ticket and the owner.
    for (const char* text : {"I will take you to court over this", "I am calling the police",
                             "\xD0\xAF \xD0\xBF\xD0\xBE\xD0\xB4\xD0\xB0\xD0\xBC \xD0\xB2 \xD1\x81\xD1\x83\xD0\xB4"}) {
        auto c = shipped().classify_text("", text);
        EXPECT_EQ(c.kind, Kind::complaint) << text;
        EXPECT_EQ(c.severity, Severity::major) << text;
    }
    // Without a major matter, an unsure message stays "other".
    EXPECT_EQ(shipped().classify_text("", "ok").kind, Kind::other);
}

TEST(Classifier, LanguageFromSubjectAndBody)
{
    auto c = shipped().classify(mail("Re: замовлення", "Дякую, все отримала"));
    EXPECT_EQ(c.language, "uk");
    EXPECT_EQ(c.kind, Kind::gratitude);
}

TEST(Classifier, RulesOverrideTheModel)
{
    auto model = LinearModel::load(std::string(REDRESS_SOURCE_DIR) + "/config/model/classifier.bin");
    ASSERT_TRUE(model);
    auto rules = RuleSet::parse(R"({"language": "en", "force": {"order status": "question"},
                                    "kinds": {"gratitude": {"brilliant": 6}}})",
                                "en.json");
    ASSERT_TRUE(rules) << rules.error().message;
    RuleBook book;
    book.add(std::move(rules).value());
    auto classifier = Classifier::create(std::make_shared<const RuleBook>(std::move(book)),
                                         std::make_shared<const LinearModel>(std::move(model).value()));
    auto forced = classifier.classify_text("", "Order status: still broken, terrible, I want a refund");
    EXPECT_EQ(forced.kind, Kind::question);
    auto weighted = classifier.classify_text("", "brilliant");
    EXPECT_EQ(weighted.kind, Kind::gratitude);
    EXPECT_NE(std::find(weighted.reasons.begin(), weighted.reasons.end(), "rule en/gratitude: brilliant (+6.0)"),
              weighted.reasons.end());
}

TEST(Classifier, EmptyMessageIsOther)
{
    auto c = shipped().classify(mail("", ""));
    EXPECT_EQ(c.kind, Kind::other);
}

TEST(Classifier, ExplainListsFeaturesThatPushedTheKind)
{
    auto e = shipped().explain(mail("", "Worst service ever, my parcel never arrived"));
    EXPECT_EQ(e.classification.kind, Kind::complaint);
    ASSERT_FALSE(e.top_features.empty());
    EXPECT_EQ(e.model_logits.size(), k_head_count);
    double sum_positive = 0;
    for (auto& f : e.top_features)
        sum_positive += f.weight > 0 ? f.weight : 0;
    EXPECT_GT(sum_positive, 0);
}

TEST(Classifier, SafeFromSeveralThreads)
{
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                auto a = shipped().classify_text("", "Дзякуй вам вялікі за хуткую дастаўку!");
                auto b = shipped().classify_text("", "I will take you to court, the parcel never arrived");
                if (a.language != "be" || a.kind != Kind::gratitude || b.severity != Severity::major)
                    ++wrong;
            }
        });
    for (auto& t : threads)
        t.join();
    EXPECT_EQ(wrong.load(), 0);
}

TEST(Classifier, AnAutoReplyWithoutHeadersIsToldByItsWording)
{
    // Pasted or forwarded, or from a system that sets no RFC 3834 header: the words alone.
    auto c = shipped().classify_text("", "I am out of the office until 14 August with limited access to email. "
                                         "For urgent matters please contact my colleague.");
    EXPECT_EQ(c.kind, Kind::automatic);
    EXPECT_EQ(c.severity, Severity::normal);
    EXPECT_EQ(shipped().classify_text("", "Estoy de vacaciones hasta el lunes, contestaré a la vuelta.").kind,
              Kind::automatic);
    // One cue is a customer saying they are away, not an auto-reply.
    EXPECT_NE(shipped().classify_text("", "I'm on holiday until Monday, please deliver the fridge after that.").kind,
              Kind::automatic);
    // A major matter is never set aside as automatic.
    auto threat = shipped().classify_text("", "I am out of the office until Monday. When I am back my lawyer "
                                              "will take you to court.");
    EXPECT_EQ(threat.kind, Kind::complaint);
    EXPECT_EQ(threat.severity, Severity::major);
}

TEST(Classifier, BulkMailIsAComplaintOnlyWhenItSaysSoClearly)
{
    auto m = mail("Weekly digest", "Police said the suspect was arrested after the fraud was discovered at the "
                                   "bank. Three people were injured in the fire at the plant, the agency said. "
                                   "Markets closed higher on Friday.");
    auto plain = shipped().classify(m);
    m.headers.push_back({"List-Id", "Tech digest <digest.example.org>"});
    auto listed = shipped().classify(m);
    EXPECT_TRUE(listed.bulk);
    EXPECT_NE(listed.kind, Kind::complaint);
    EXPECT_EQ(listed.severity, Severity::normal) << "a news digest's police and fraud alert nobody";
    bool said = false;
    for (auto& r : listed.reasons)
        said = said || r.starts_with("bulk mail by its headers");
    EXPECT_TRUE(said);
    EXPECT_EQ(plain.severity, Severity::major) << "without the list headers the same words are taken seriously";

    // A person on a list who speaks of their own harm still counts as major when it is a complaint.
    auto own = mail("Your heater", "Your heater caught fire in my kitchen and my son was injured. This is "
                                   "unacceptable, terrible, I want my money back.");
    own.headers.push_back({"List-Id", "Support <support.shop.example>"});
    auto c = shipped().classify(own);
    EXPECT_EQ(c.kind, Kind::complaint);
    EXPECT_EQ(c.severity, Severity::major);
}

TEST(Classifier, NewsletterWordingAndShapeMakeBulkMailWithoutHeaders)
{
    std::string text = "This week's deals, all broken records! Terrible prices for our rivals.\n";
    for (int i = 0; i < 10; ++i)
        text += "See offer " + std::to_string(i) + " at https://shop.example/deal/" + std::to_string(i) + "\n";
    text += "You are receiving this newsletter because you signed up. To unsubscribe click the link.";
    auto c = shipped().classify(mail("Deals", text));
    EXPECT_FALSE(c.bulk) << "the bulk flag stays the headers' (no automatic answer)";
    EXPECT_NE(c.kind, Kind::complaint);
    bool said = false;
    for (auto& r : c.reasons)
        said = said || r.starts_with("bulk mail by its wording and shape (10 links");
    EXPECT_TRUE(said);
}

TEST(Classifier, MajorIsAComplaintsSeverity)
{
    // A thank-you for a refund and a question about returns mention money; neither is major.
    auto thanks = shipped().classify_text("", "Got my money back already, thank you so much, lovely service!");
    EXPECT_EQ(thanks.kind, Kind::gratitude);
    EXPECT_EQ(thanks.severity, Severity::normal);
    auto question = shipped().classify_text("", "If the jacket doesn't fit, can I send it back and get my money back?");
    EXPECT_EQ(question.kind, Kind::question);
    EXPECT_EQ(question.severity, Severity::normal);
    // A major matter asked as a question is a complaint.
    auto leak = shipped().classify_text("", "Why did my confirmation email hold another customer's passport "
                                            "number? Is this a data leak?");
    EXPECT_EQ(leak.kind, Kind::complaint);
    EXPECT_EQ(leak.severity, Severity::major);
}
