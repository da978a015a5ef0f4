// Language of short customer texts, where CLD2 alone is unsure: letter rules for Cyrillic.

#include "classify/language_detector.hpp"

#include <gtest/gtest.h>

using redress::classify::detect_language;

TEST(LanguageDetector, ShortTextsInSevenLanguages)
{
    EXPECT_EQ(detect_language("Where is my parcel? It is a week late.").code, "en");
    EXPECT_EQ(detect_language("Где мой заказ? Прошла уже неделя.").code, "ru");
    EXPECT_EQ(detect_language("Де моє замовлення? Минув тиждень.").code, "uk");
    EXPECT_EQ(detect_language("Дзе мой заказ? Прайшоў ужо тыдзень.").code, "be");
    EXPECT_EQ(detect_language("Onde está a minha encomenda? Já passou uma semana.").code, "pt");
    EXPECT_EQ(detect_language("Wo ist meine Bestellung? Es ist schon eine Woche her.").code, "de");
    EXPECT_EQ(detect_language("¿Dónde está mi pedido? Ya pasó una semana.").code, "es");
}

TEST(LanguageDetector, ShortUIsBelarusian)
{
    auto guess = detect_language("Усё добра, дзякуй за дастаўку");
    EXPECT_EQ(guess.code, "be");
    EXPECT_EQ(guess.reason, "letters ў");
}

TEST(LanguageDetector, UkrainianLettersDecideOneWord)
{
    auto guess = detect_language("Дякуємо");
    EXPECT_EQ(guess.code, "uk");
    EXPECT_EQ(detect_language("Її немає").code, "uk");
    EXPECT_EQ(detect_language("ґанок").code, "uk");
}

TEST(LanguageDetector, DottedIWithYeryIsBelarusianWithIIsUkrainian)
{
    EXPECT_EQ(detect_language("Калі вы").code, "be");      // і + ы: not Russian, not Ukrainian
    EXPECT_EQ(detect_language("Ціна висока").code, "uk");  // і + и: not Russian, not Belarusian
}

TEST(LanguageDetector, YeryWithoutDottedIIsRussianOrBelarusianNotUkrainian)
{
    EXPECT_EQ(detect_language("Вы прислали не тот товар").code, "ru");
    EXPECT_EQ(detect_language("Объясните").code, "ru");  // ъ only in Russian
}

TEST(LanguageDetector, TextWithoutLettersFallsBackToEnglish)
{
    auto guess = detect_language("12345 !!! :)");
    EXPECT_EQ(guess.code, "en");
    EXPECT_EQ(guess.reason, "default en");
}

TEST(LanguageDetector, LongRussianTextWithUkrainianPlaceNameStaysRussian)
{
    // A borrowed name with ї must not flip a long letter: CLD2 decides long text.
    std::string text = "Добрый день. Я заказывал доставку в Київ ещё на прошлой неделе, но посылка до сих пор не "
                       "пришла, а служба поддержки не отвечает на письма. Прошу разобраться и сообщить, когда "
                       "ожидать доставку, потому что подарок нужен к празднику.";
    EXPECT_EQ(detect_language(text).code, "ru");
}
