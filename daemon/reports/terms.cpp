#include "terms.hpp"

#include "classify/text_analysis.hpp"

#include <algorithm>
#include <set>

namespace redress::reports {

namespace {

// Function words, greetings and the words every complaint has, per language (folded, unstemmed).
// They would tie unrelated complaints together; the stems that remain carry the problem.
// clang-format off
const std::map<std::string, std::set<std::string, std::less<>>, std::less<>> k_stop_words{
    {"en", {"the", "and", "for", "you", "your", "yours", "our", "ours", "with", "was", "were", "are", "but", "not",
            "this", "that", "these", "those", "have", "has", "had", "from", "they", "them", "their", "there", "then",
            "than", "what", "when", "which", "who", "whom", "why", "how", "all", "any", "can", "could", "would",
            "should", "will", "just", "been", "being", "did", "does", "doing", "into", "onto", "out", "about", "again",
            "also", "its", "it's", "i'm", "i've", "don't", "didn't", "doesn't", "wasn't", "isn't", "very", "too",
            "more", "most", "some", "such", "only", "own", "same", "other", "over", "under", "after", "before",
            "here", "hello", "dear", "please", "thanks", "thank", "regards", "best", "hi", "sir", "madam", "team",
            "support", "one", "two", "get", "got", "still", "yet", "now", "even", "because", "while", "where",
            "him", "her", "his", "she", "mine", "myself", "ticket", "re", "fwd", "complaint", "order", "ordered"}},
    {"ru", {"что", "это", "как", "так", "для", "его", "она", "они", "оно", "мне", "меня", "мой", "моя", "мое",
            "моё", "мои", "вас", "вам", "ваш", "ваша", "ваше", "ваши", "нас", "нам", "наш", "уже", "еще", "ещё",
            "был", "была", "было", "были", "быть", "есть", "все", "всё", "всех", "при", "или", "если", "но", "над",
            "под", "без", "чтобы", "того", "тот", "эта", "этот", "эти", "этого", "там", "тут", "где", "когда",
            "очень", "только", "даже", "теперь", "потом", "после", "через", "который", "которая", "которые",
            "здравствуйте", "добрый", "день", "спасибо", "пожалуйста", "уважением", "заранее", "привет",
            "жалоба", "заказ", "заказа", "заказе", "заказал", "заказала", "себя", "свой", "свою", "своё",
            "свои", "него", "неё", "них", "ему", "ей", "им", "тоже", "также", "может", "можно", "нет", "да"}},
    {"uk", {"що", "це", "як", "так", "для", "його", "вона", "вони", "воно", "мені", "мене", "мій", "моя", "моє",
            "мої", "вас", "вам", "ваш", "ваша", "ваше", "ваші", "нас", "нам", "наш", "вже", "ще", "був", "була",
            "було", "були", "бути", "є", "все", "всі", "при", "або", "якщо", "але", "над", "під", "без", "щоб",
            "тому", "той", "ця", "цей", "ці", "там", "тут", "де", "коли", "дуже", "тільки", "навіть", "тепер",
            "потім", "після", "через", "який", "яка", "які", "добрий", "день", "дякую", "будь", "ласка",
            "повагою", "вітаю", "скарга", "замовлення", "замовив", "замовила", "теж", "також", "може", "можна",
            "ні", "так", "себе", "свій", "свою", "своє", "свої"}},
    {"be", {"што", "гэта", "як", "так", "для", "яго", "яна", "яны", "яно", "мне", "мяне", "мой", "мая", "маё",
            "мае", "вас", "вам", "ваш", "ваша", "ваша", "вашы", "нас", "нам", "наш", "ужо", "яшчэ", "быў", "была",
            "было", "былі", "быць", "ёсць", "усё", "усе", "пры", "або", "калі", "але", "над", "пад", "без", "каб",
            "таму", "той", "гэтая", "гэты", "гэтыя", "там", "тут", "дзе", "вельмі", "толькі", "нават", "цяпер",
            "потым", "пасля", "праз", "які", "якая", "якія", "добры", "дзень", "дзякуй", "калі", "ласка",
            "павагай", "вітаю", "скарга", "заказ", "замова", "таксама", "можа", "можна", "не", "сябе", "свой"}},
    {"de", {"der", "die", "das", "und", "ist", "ich", "sie", "ein", "eine", "einen", "einem", "einer", "nicht",
            "mit", "den", "dem", "des", "auf", "für", "von", "wie", "war", "wurde", "wurden", "habe", "haben", "hat",
            "hatte", "bin", "sind", "mein", "meine", "meinen", "meiner", "ihr", "ihre", "ihren", "ihnen", "uns",
            "wir", "aber", "oder", "wenn", "dass", "auch", "noch", "schon", "nur", "sehr", "bei", "nach", "aus",
            "zum", "zur", "über", "unter", "vor", "hier", "dort", "jetzt", "dann", "sehr", "geehrte", "geehrter",
            "damen", "herren", "hallo", "bitte", "danke", "vielen", "dank", "grüßen", "freundlichen", "beschwerde",
            "bestellung", "bestellt", "kann", "können", "keine", "kein", "mir", "mich", "sich", "was", "wer"}},
    {"es", {"que", "los", "las", "del", "por", "con", "una", "uno", "para", "como", "pero", "sus", "mis", "mi",
            "este", "esta", "esto", "estos", "estas", "ese", "esa", "eso", "fue", "era", "son", "está", "están",
            "han", "hay", "muy", "más", "sin", "sobre", "también", "cuando", "donde", "porque", "todo", "todos",
            "ya", "aún", "todavía", "hola", "buenos", "buenas", "días", "tardes", "gracias", "favor", "saludos",
            "atentamente", "estimados", "queja", "pedido", "pedí", "usted", "ustedes", "nos", "les", "ellos",
            "ella", "él", "yo", "me", "se", "lo", "la", "le", "al", "el", "en", "un", "no", "sí", "ni", "tan"}},
    {"pt", {"que", "os", "as", "dos", "das", "por", "com", "uma", "um", "para", "como", "mas", "seu", "sua",
            "seus", "suas", "meu", "minha", "meus", "minhas", "este", "esta", "isto", "esse", "essa", "isso", "foi",
            "era", "são", "está", "estão", "tem", "têm", "muito", "mais", "sem", "sobre", "também", "quando", "onde",
            "porque", "todo", "todos", "já", "ainda", "olá", "bom", "boa", "dia", "tarde", "obrigado", "obrigada",
            "favor", "cumprimentos", "atenciosamente", "prezados", "reclamação", "pedido", "encomenda", "você",
            "vocês", "nos", "eles", "ela", "ele", "eu", "me", "se", "lo", "la", "lhe", "ao", "na", "no", "em",
            "não", "sim", "nem", "tão", "fiz", "comprei"}},
};
// clang-format on

bool stop_word(std::string_view language, std::string_view word)
{
    auto it = k_stop_words.find(language);
    if (it != k_stop_words.end() && it->second.contains(word))
        return true;
    // English words turn up in every language's mail (subjects, product names): its function
    // words are function words there too.
    return language != "en" && k_stop_words.at("en").contains(word);
}

std::size_t characters(std::string_view utf8)
{
    return static_cast<std::size_t>(
        std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

TicketTerms terms_of(std::string_view language, std::string_view subject, std::string_view text)
{
    classify::TextAnalysis analysis;
    // The subject and the message, each read as the classifier reads them, split by a clause
    // boundary so that no phrase joins the subject's last word to the message's first.
    std::string joined;
    joined.reserve(subject.size() + text.size() + 3);
    joined.append(subject);
    joined.append(" . ");
    joined.append(text.substr(0, std::min(text.size(), classify::k_max_analysed_bytes)));
    classify::tokenize(joined, analysis);
    analysis.language = std::string(language.empty() ? "en" : language);
    classify::stem_tokens(analysis);

    TicketTerms out;
    out.language = analysis.language;
    std::set<std::string> terms;
    std::string previous_stem, previous_word;
    int place = -1;
    for (const auto& token : analysis.tokens) {
        if (token.type != classify::TokenType::word) {
            previous_stem.clear();  // a number, a link or punctuation ends a phrase
            continue;
        }
        std::string_view word = analysis.text_of(token);
        // Function words and words of one or two letters are passed over, not phrase breaks: "lid of
        // the kettle" still makes the phrase "kettle lid".
        if (stop_word(out.language, word) || characters(word) < 3)
            continue;
        std::string stem(analysis.stem_of(token));
        ++place;
        if (terms.insert(stem).second) {
            out.surfaces.emplace(stem, std::string(word));
            out.first_at.emplace(stem, place);
        }
        if (!previous_stem.empty() && previous_stem != stem) {
            // The pair in a fixed order: "rude courier" and "the courier was rude" are one phrase.
            std::string phrase = previous_stem < stem ? previous_stem + " " + stem : stem + " " + previous_stem;
            if (terms.insert(phrase).second) {
                out.surfaces.emplace(phrase, previous_word + " " + std::string(word));
                out.first_at.emplace(phrase, place - 1);
            }
        }
        previous_stem = std::move(stem);
        previous_word = std::string(word);
    }
    out.terms.assign(terms.begin(), terms.end());
    return out;
}

}  // namespace redress::reports
