// Index terms and query forms: inflected forms meet in each of the seven languages, snippets can
// point at the words as written.

#include "search/normaliser.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace redress::search;

namespace {

std::vector<std::string> terms(std::string_view text, std::string_view language)
{
    std::vector<std::string> out;
    for_each_term(text, language, [&](const Term& t) { out.emplace_back(t.text); });
    return out;
}

// Whether a query word finds a document word: one of the word's query forms equals, or is a prefix
// of, the document's term in the document's language.
bool meets(std::string_view query_word, std::string_view document_word, std::string_view language)
{
    auto term = terms(document_word, language);
    if (term.size() != 1)
        return false;
    auto forms = query_forms(query_word);
    return std::any_of(forms.begin(), forms.end(),
                       [&](const QueryForm& f) { return f.prefix ? term[0].starts_with(f.text) : term[0] == f.text; });
}

}  // namespace

TEST(SearchNormaliser, TermsKeepTheOffsetsOfTheWordsAsWritten)
{
    std::string text = "Курьер НЕ приехал, refund’s due!";
    std::vector<std::string> written;
    for_each_term(text, "ru", [&](const Term& t) { written.push_back(text.substr(t.begin, t.end - t.begin)); });
    EXPECT_EQ(written, (std::vector<std::string>{"Курьер", "НЕ", "приехал", "refund’s", "due"}));
}

TEST(SearchNormaliser, MarksOfLatinLettersGoButCyrillicLettersStay)
{
    EXPECT_EQ(terms("reclamação", ""), std::vector<std::string>{"reclamacao"});
    EXPECT_EQ(terms("Größe", ""), std::vector<std::string>{"große"});
    EXPECT_EQ(terms("чайний", ""), std::vector<std::string>{"чайний"});
    EXPECT_EQ(terms("ёлка", ""), std::vector<std::string>{"ёлка"});
}

TEST(SearchNormaliser, InflectedFormsMeetInEachLanguage)
{
    EXPECT_TRUE(meets("refunds", "refund", "en"));
    EXPECT_TRUE(meets("refund", "refunded", "en"));
    EXPECT_TRUE(meets("доставили", "доставка", "ru"));
    EXPECT_TRUE(meets("доставка", "доставили", "ru"));
    EXPECT_TRUE(meets("доставки", "доставили", "ru"));
    EXPECT_TRUE(meets("повернення", "поверненням", "uk"));
    EXPECT_TRUE(meets("посилки", "посилку", "uk"));
    EXPECT_TRUE(meets("замову", "замовы", "be"));
    EXPECT_TRUE(meets("дастаўкі", "дастаўка", "be"));
    EXPECT_TRUE(meets("encomendas", "encomenda", "pt"));
    EXPECT_TRUE(meets("reembolso", "reembolsos", "pt"));
    EXPECT_TRUE(meets("Lieferungen", "Lieferung", "de"));
    EXPECT_TRUE(meets("Erstattung", "Erstattungen", "de"));
    EXPECT_TRUE(meets("pedidos", "pedido", "es"));
    EXPECT_TRUE(meets("reembolsar", "reembolsado", "es"));
}

TEST(SearchNormaliser, AnEnglishNounInYFindsItsVerb)
{
    // The stemmer's own stems differ past the prefix rule's reach: that is Snowball's English.
    EXPECT_EQ(terms("delivery delivered deliveries", "en"),
              (std::vector<std::string>{"deliveri", "deliv", "deliveri"}));
    // Our query forms bridge it: a long stem in -i also asks for the stem without the i.
    EXPECT_TRUE(meets("delivery", "delivered", "en"));
    EXPECT_TRUE(meets("deliveries", "delivering", "en"));
    EXPECT_TRUE(meets("delivery", "deliver", "en"));
    EXPECT_TRUE(meets("delivered", "delivery", "en"));
    EXPECT_TRUE(meets("recovery", "recovered", "en"));
    // Short words keep their exact stems ("happy" does not reach "happ...").
    EXPECT_FALSE(meets("happy", "happen", "en"));
}

TEST(SearchNormaliser, ShortStemsMatchWholeAndNumbersMatchWhole)
{
    EXPECT_FALSE(meets("суд", "судно", "ru"));
    EXPECT_FALSE(meets("123456", "1234567", "en"));
    EXPECT_TRUE(meets("123456", "123456", "en"));
}

TEST(SearchNormaliser, QueryFormsAreDistinct)
{
    auto forms = query_forms("refunds");
    for (std::size_t i = 0; i < forms.size(); ++i)
        for (std::size_t j = i + 1; j < forms.size(); ++j)
            EXPECT_FALSE(forms[i] == forms[j]);
    EXPECT_FALSE(forms.empty());
}

TEST(SearchNormaliser, ADocumentIsStemmedInItsDetectedLanguage)
{
    EXPECT_EQ(document_language("Курьер не приехал, посылку так и не доставили, прошу вернуть деньги"), "ru");
    EXPECT_EQ(document_language("Кур'єр не приїхав, посилку так і не доставили, прошу повернути гроші"), "uk");
    EXPECT_EQ(document_language("Кур'ер не прыехаў, пасылку так і не даставілі, прашу вярнуць грошы"), "be");
    EXPECT_EQ(document_language("Le colis n'est jamais arrivé et personne ne répond à mes courriels"), "");
}
