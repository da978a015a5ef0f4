#include "letter_words.hpp"

#include "template_set.hpp"

#include <array>

namespace redress::letters {

namespace {

using Words = std::array<std::string_view, 7>;  // en, ru, uk, be, pt, de, es, as LetterLanguage

struct CodeRow {
    std::string_view code;
    Words words;
};

// Status words describe the ticket as staff see it. Russian and Ukrainian agree with the neuter
// "обращение" / "звернення", Belarusian with the masculine "зварот"; the verdicts name the complaint.
// clang-format off
constexpr std::array k_status{
    CodeRow{"new", {"new", "новое", "нове", "новы", "novo", "neu", "nuevo"}},
    CodeRow{"acknowledged", {"receipt confirmed, waiting for a person to answer", "получение подтверждено, ждёт ответа сотрудника",
                             "отримання підтверджено, чекає відповіді співробітника", "атрыманне пацверджана, чакае адказу супрацоўніка",
                             "receção confirmada, à espera de resposta de uma pessoa", "Eingang bestätigt, wartet auf eine persönliche Antwort",
                             "recepción confirmada, pendiente de respuesta personal"}},
    CodeRow{"investigating", {"being looked into", "разбираемся", "розбираємося", "разбіраемся", "em análise", "in Prüfung", "en estudio"}},
    CodeRow{"justified", {"complaint found justified", "жалоба признана обоснованной", "скаргу визнано обґрунтованою",
                          "скарга прызнана абгрунтаванай", "reclamação considerada procedente", "Beschwerde als berechtigt anerkannt",
                          "reclamación considerada fundada"}},
    CodeRow{"unjustified", {"complaint found unjustified", "жалоба признана необоснованной", "скаргу визнано необґрунтованою",
                            "скарга прызнана неабгрунтаванай", "reclamação considerada improcedente", "Beschwerde als unberechtigt eingestuft",
                            "reclamación considerada infundada"}},
    CodeRow{"action_planned", {"corrective actions planned", "намечены меры по исправлению", "заплановано заходи з виправлення",
                               "запланаваны меры па выпраўленні", "medidas corretivas previstas", "Abhilfemaßnahmen geplant",
                               "medidas correctoras previstas"}},
    CodeRow{"resolved", {"resolved", "решено", "вирішено", "вырашаны", "resolvido", "gelöst", "resuelto"}},
    CodeRow{"closed", {"closed", "закрыто", "закрито", "закрыты", "encerrado", "abgeschlossen", "cerrado"}},
};

// Severity follows "Важность:" / "Важливість:" / "Важнасць:" (feminine) in the staff letters.
constexpr std::array k_severity{
    CodeRow{"normal", {"normal", "обычная", "звичайна", "звычайная", "normal", "normal", "normal"}},
    CodeRow{"major", {"major (law, safety or money)", "серьёзная (закон, безопасность или деньги)", "серйозна (закон, безпека або гроші)",
                      "сур'ёзная (закон, бяспека або грошы)", "grave (lei, segurança ou dinheiro)",
                      "schwerwiegend (Recht, Sicherheit oder Geld)", "grave (ley, seguridad o dinero)"}},
};

constexpr std::array k_kind{
    CodeRow{"complaint", {"complaint", "жалоба", "скарга", "скарга", "reclamação", "Beschwerde", "reclamación"}},
    CodeRow{"gratitude", {"thanks", "благодарность", "подяка", "падзяка", "agradecimento", "Dank", "agradecimiento"}},
    CodeRow{"question", {"question", "вопрос", "питання", "пытанне", "pergunta", "Frage", "pregunta"}},
    CodeRow{"suggestion", {"suggestion", "предложение", "пропозиція", "прапанова", "sugestão", "Vorschlag", "sugerencia"}},
    CodeRow{"spam", {"spam", "спам", "спам", "спам", "spam", "Spam", "spam"}},
    CodeRow{"automatic", {"automatic message", "автоматическое сообщение", "автоматичне повідомлення", "аўтаматычнае паведамленне",
                          "mensagem automática", "automatische Nachricht", "mensaje automático"}},
    CodeRow{"other", {"other", "другое", "інше", "іншае", "outro", "Sonstiges", "otro"}},
};

// Alert levels as a short line after "Alert:" / "Событие:" in the staff letters.
constexpr std::array k_alert_level{
    CodeRow{"arrival", {"major complaint received", "получена серьёзная жалоба", "отримано серйозну скаргу", "атрымана сур'ёзная скарга",
                        "reclamação grave recebida", "schwerwiegende Beschwerde eingegangen", "reclamación grave recibida"}},
    CodeRow{"warning", {"deadline near", "срок скоро истекает", "термін незабаром спливає", "тэрмін хутка мінае", "prazo quase a terminar",
                        "Frist läuft bald ab", "plazo a punto de vencer"}},
    CodeRow{"breach", {"deadline missed", "срок пропущен", "термін пропущено", "тэрмін прапушчаны", "prazo ultrapassado", "Frist versäumt",
                       "plazo incumplido"}},
    CodeRow{"second_level", {"second level: the first escalation brought no answer", "второй уровень: первая эскалация не принесла ответа",
                             "другий рівень: перша ескалація не дала відповіді", "другі ўзровень: першая эскалацыя не дала адказу",
                             "segundo nível: a primeira escalada ficou sem resposta", "zweite Stufe: die erste Eskalation blieb ohne Antwort",
                             "segundo nivel: la primera escalada quedó sin respuesta"}},
};

constexpr std::array k_deadline{
    CodeRow{"first_response", {"first response", "первый ответ", "перша відповідь", "першы адказ", "primeira resposta", "erste Antwort", "primera respuesta"}},
    CodeRow{"resolution", {"resolution", "решение вопроса", "розв'язання питання", "вырашэнне пытання", "resolução", "Lösung", "resolución"}},
};

// Why an alert went out, after "Why:" / "Причина:" (a clause, lower case).
constexpr std::array k_alert_reason{
    CodeRow{"major", {"the complaint touches the law, safety or money", "жалоба касается закона, безопасности или денег",
                      "скарга стосується закону, безпеки або грошей", "скарга тычыцца закона, бяспекі або грошай",
                      "a reclamação envolve a lei, a segurança ou dinheiro", "die Beschwerde betrifft Recht, Sicherheit oder Geld",
                      "la reclamación afecta a la ley, la seguridad o el dinero"}},
    CodeRow{"raised_by_reply", {"a reply from the customer made the complaint major", "после ответа клиента жалоба стала серьёзной",
                                "після відповіді клієнта скарга стала серйозною", "пасля адказу кліента скарга стала сур'ёзнай",
                                "uma resposta do cliente tornou a reclamação grave", "eine Antwort des Kunden hat die Beschwerde schwerwiegend gemacht",
                                "una respuesta del cliente hizo grave la reclamación"}},
};
// clang-format on

std::string spaced(std::string_view code)
{
    std::string text(code);
    for (char& c : text)
        if (c == '_')
            c = ' ';
    return text;
}

template <std::size_t N>
std::string lookup(const std::array<CodeRow, N>& table, std::string_view code, std::string_view language)
{
    for (const CodeRow& row : table)
        if (row.code == code)
            return std::string(row.words[static_cast<std::size_t>(letter_language(language))]);
    return spaced(code);
}

}  // namespace

LetterLanguage letter_language(std::string_view language)
{
    std::string lang = base_language(language);
    if (lang == "ru")
        return LetterLanguage::ru;
    if (lang == "uk")
        return LetterLanguage::uk;
    if (lang == "be")
        return LetterLanguage::be;
    if (lang == "pt")
        return LetterLanguage::pt;
    if (lang == "de")
        return LetterLanguage::de;
    if (lang == "es")
        return LetterLanguage::es;
    return LetterLanguage::en;
}

const std::vector<CodeWords>& code_words()
{
    static const std::vector<CodeWords> k_pairs{
        {"ticket.status", "ticket.status_text"},
        {"ticket.severity", "ticket.severity_text"},
        {"ticket.kind", "ticket.kind_text"},
        {"alert.level", "alert.level_text"},
    };
    return k_pairs;
}

std::string words_for_code(std::string_view code_placeholder, std::string_view code, std::string_view language)
{
    if (code_placeholder == "ticket.status")
        return lookup(k_status, code, language);
    if (code_placeholder == "ticket.severity")
        return lookup(k_severity, code, language);
    if (code_placeholder == "ticket.kind")
        return lookup(k_kind, code, language);
    if (code_placeholder == "alert.level")
        return lookup(k_alert_level, code, language);
    return spaced(code);
}

void add_code_words(Values& values, std::string_view language)
{
    for (const CodeWords& pair : code_words()) {
        auto code = values.find(pair.code_placeholder);
        if (code == values.end() || code->second.empty())
            continue;
        values.insert_or_assign(std::string(pair.text_placeholder),
                                words_for_code(pair.code_placeholder, code->second, language));
    }
}

std::string deadline_words(std::string_view deadline, std::string_view language)
{
    return lookup(k_deadline, deadline, language);
}

std::string alert_reason_words(std::string_view reason, std::string_view language)
{
    return lookup(k_alert_reason, reason, language);
}

std::string bullet_list(const std::vector<std::string>& items)
{
    std::string text;
    for (const std::string& item : items) {
        if (item.empty())
            continue;
        if (!text.empty())
            text += '\n';
        text += "- " + item;
    }
    return text;
}

}  // namespace redress::letters
