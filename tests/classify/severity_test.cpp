// Major severity from the shipped rules: recall first, and negation handled per category.

#include "classify/rule_set.hpp"

#include <gtest/gtest.h>

using namespace redress;
using namespace redress::classify;

namespace {

const RuleBook& shipped()
{
    static const RuleBook book = [] {
        auto b = RuleBook::load(std::string(REDRESS_SOURCE_DIR) + "/config/rules");
        if (!b)
            throw std::runtime_error(b.error().message);
        return std::move(b).value();
    }();
    return book;
}

RuleMatches apply(std::string_view language, std::string_view text)
{
    TextAnalysis analysis;
    analyze_text({}, text, analysis);
    analysis.language = std::string(language);
    stem_tokens(analysis);
    RuleMatches out;
    shipped().find(language)->apply(analysis, out);
    return out;
}

}  // namespace

TEST(Severity, LegalRegulatorMoneySafetyFraudAndDataAreMajorInEveryLanguage)
{
    struct Case {
        const char* language;
        const char* text;
    };
    for (auto c : std::initializer_list<Case>{
             {"en", "I will take you to court over this"},
             {"en", "Trading Standards will hear about this"},
             {"en", "I will file a chargeback with my bank"},
             {"en", "My son was injured by the blender"},
             {"en", "Your site leaked my personal data"},
             {"ru", "Подам жалобу в Роспотребнадзор"},
             {"ru", "Мы отравились вашими консервами"},
             {"ru", "Это мошенничество, обращусь в полицию"},
             {"uk", "Звернуся до суду"},
             {"uk", "Сталася пожежа через ваш обігрівач"},
             {"be", "Я звярнуўся ў міліцыю"},
             {"be", "Пасля вашай каўбасы мы атруціліся"},
             {"pt", "Vou apresentar queixa no livro de reclamações"},
             {"pt", "Já falei com o meu advogado"},
             {"de", "Ich schalte meinen Anwalt ein"},
             {"de", "Das Gerät hat Feuer gefangen"},
             {"es", "Presentaré una denuncia en la policía"},
             {"es", "Mi hijo acabó en urgencias por una intoxicación"},
         }) {
        EXPECT_TRUE(apply(c.language, c.text).major) << c.language << ": " << c.text;
    }
}

TEST(Severity, OrdinaryComplaintIsNormal)
{
    EXPECT_FALSE(apply("en", "The parcel is late and the box was torn").major);
    EXPECT_FALSE(apply("ru", "Посылка опаздывает, коробка порвана").major);
    EXPECT_FALSE(apply("de", "Das Paket kam zu spät").major);
}

// Choice: a denied legal threat is still a threat ("I'm not going to sue... yet"), so legal,
// regulator and money categories ignore negation; denied harm ("nobody was injured") is not an
// injury, so safety, fraud and data categories honour it.
TEST(Severity, DeniedLegalThreatStaysMajor)
{
    auto m = apply("en", "I'm not going to sue, just fix it");
    EXPECT_TRUE(m.major);
    EXPECT_EQ(m.reasons.at(0), "severity en/legal: sue (negated, kept: a threat even when denied)");
    EXPECT_TRUE(apply("en", "No need for a lawyer yet").major);
    EXPECT_TRUE(apply("ru", "Я не буду обращаться в суд, просто верните товар").major);
}

TEST(Severity, DeniedHarmIsNormal)
{
    auto m = apply("en", "The lamp sparked but nobody was injured");
    EXPECT_FALSE(m.major);
    EXPECT_EQ(m.reasons.at(0), "severity en/safety: injur* (negated, ignored)");
    EXPECT_FALSE(apply("ru", "Никто не пострадал, но коробка помята").major);
}
