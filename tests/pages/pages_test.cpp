// The customer pages as pure functions: values and a language in, HTML out. What customers wrote
// stays text; every language has all its words; the stages follow the ticket; the forms have labels
// for every field, the honeypot out of reach, and nothing inline for the Content-Security-Policy to
// refuse.

#include "pages/assets.hpp"
#include "pages/complaint_page.hpp"
#include "pages/html.hpp"
#include "pages/parts.hpp"
#include "pages/status_page.hpp"
#include "pages/survey_page.hpp"
#include "pages/words.hpp"

#include <gtest/gtest.h>

#include <regex>

using namespace redress;
using namespace redress::pages;

namespace {

const std::string k_attack = "<img src=x onerror=alert(1)>";
const TimePoint k_at = parse_iso8601("2026-11-26T09:25:00Z").value();

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

// No script but the module file, no style attribute or element, no handler attribute: nothing the
// server's Content-Security-Policy would refuse.
void expect_nothing_inline(const std::string& html)
{
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(<script(?![^>]*\bsrc=))"))) << html;
    EXPECT_FALSE(contains(html, "style=")) << html;
    EXPECT_FALSE(contains(html, "<style")) << html;
    EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[^<>]*\son[a-z]+=)"))) << html;
}

StatusFacts facts(TicketStatus status)
{
    StatusFacts f;
    f.ticket.number = "RD-000007";
    f.ticket.subject = k_attack;
    f.ticket.status = status;
    f.ticket.received_at = k_at;
    f.ticket.first_response_due = k_at + Seconds{4 * 3600};
    f.ticket.resolution_due = k_at + Seconds{3 * 86400};
    StoredMessage m;
    m.text = "Line one " + k_attack + "\nline two";
    m.received_at = k_at;
    f.messages.push_back(m);
    Letter l;
    l.subject = "[RD-000007] " + k_attack;
    l.sent_at = k_at + Seconds{60};
    f.letters.push_back(l);
    return f;
}

StatusView view(std::string language)
{
    StatusView v;
    v.language = std::move(language);
    v.time_zone = "Europe/Moscow";
    v.company = "Shop & Co";
    v.form_token = "123.abc.sig";
    return v;
}

TEST(Html, EscapesEverySpecialCharacterAndFillsSlotsEscaped)
{
    EXPECT_EQ(html_escape(R"(<script>alert("x")</script> & 'y')"),
              "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    EXPECT_EQ(fill("Complaint {number} & more", {{"number", "<b>RD-1</b>"}}),
              "Complaint &lt;b&gt;RD-1&lt;/b&gt; &amp; more");
    // A value that looks like a slot is not filled again.
    EXPECT_EQ(fill("{a} {b}", {{"a", "{b}"}, {"b", "x"}}), "{b} x");
}

TEST(Html, TheFrameLinksTheStylesheetAndTheScriptAsFiles)
{
    std::string page = render_page(PageFrame{"ru", "Жалоба <1>", "../../", "complain.js", "Shop"}, "<p>x</p>");
    EXPECT_TRUE(contains(page, "<html lang=\"ru\">"));
    EXPECT_TRUE(contains(page, "<title>Жалоба &lt;1&gt;</title>"));
    EXPECT_TRUE(contains(page, "href=\"../../customer/customer.css\""));
    EXPECT_TRUE(contains(page, "<script type=\"module\" src=\"../../customer/complain.js\"></script>"));
    EXPECT_TRUE(contains(page, "width=device-width"));
    expect_nothing_inline(page);
}

TEST(Words, EveryLanguageHasEveryWordAndTheSlotsItsSentencesNeed)
{
    ASSERT_EQ(page_languages().size(), 7u);
    for (auto code : page_languages()) {
        const Words& w = words_for(code);
        // Walk the struct as the string_views it is made of: none may be empty.
        const auto* first = reinterpret_cast<const std::string_view*>(&w);
        for (std::size_t i = 0; i < sizeof(Words) / sizeof(std::string_view); ++i)
            EXPECT_FALSE(first[i].empty()) << code << " word " << i;
        for (auto [text, slot] : {std::pair{w.status_title, "{number}"},
                                  {w.thanks_number, "{number}"},
                                  {w.survey_heading, "{number}"},
                                  {w.survey_thanks, "{number}"},
                                  {w.message_added_new, "{number}"},
                                  {w.message_hint, "{characters}"},
                                  {w.files_hint, "{files}"},
                                  {w.files_hint, "{megabytes}"},
                                  {w.problem_rate, "{address}"},
                                  {w.thanks_mail, "{email}"},
                                  {w.action_due, "{date}"}})
            EXPECT_TRUE(text.find(slot) != std::string_view::npos) << code << ": " << text << " lacks " << slot;
    }
    EXPECT_EQ(words_for("pt-BR").language_name, "Português");
    EXPECT_EQ(words_for("fr").language_name, "English");
}

TEST(Words, ChoosesTheVisitorsLanguage)
{
    EXPECT_EQ(choose_language(std::nullopt, "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"), "ru");
    EXPECT_EQ(choose_language(std::nullopt, "fr-FR,fr;q=0.9,de;q=0.8,en;q=0.5"), "de");
    EXPECT_EQ(choose_language(std::nullopt, "en;q=0.4, uk;q=0.8"), "uk");
    EXPECT_EQ(choose_language(std::nullopt, "ru;q=0, es"), "es");  // q=0: not Russian
    EXPECT_EQ(choose_language(std::nullopt, "fr, it"), "en");
    EXPECT_EQ(choose_language(std::nullopt, std::nullopt, "be"), "be");
    // The switch wins; a language we do not speak is no switch.
    EXPECT_EQ(choose_language("pt", "ru"), "pt");
    EXPECT_EQ(choose_language("xx", "ru"), "ru");
}

TEST(StatusPage, ShowsWhatCustomersWroteAsTextNeverAsMarkup)
{
    std::string page = render_status_page(facts(TicketStatus::investigating), view("en"));
    EXPECT_FALSE(contains(page, k_attack)) << page;
    EXPECT_TRUE(contains(page, "&lt;img src=x onerror=alert(1)&gt;")) << page;
    EXPECT_TRUE(contains(page, "Complaint RD-000007"));
    EXPECT_TRUE(contains(page, "Shop &amp; Co"));
    expect_nothing_inline(page);
}

TEST(StatusPage, AMessageNotStoredComesBackInItsFormWithItsToken)
{
    StatusView v;
    v.language = "ru";
    v.form_token = "1764500000.nonce.signature";
    v.draft = "Номер заказа ORDER-77 " + k_attack;
    std::string page = render_message_unsaved(v);
    EXPECT_TRUE(contains(page, "Попробуйте позже"));
    EXPECT_TRUE(contains(page, "value=\"1764500000.nonce.signature\""));
    EXPECT_TRUE(contains(page, ">Номер заказа ORDER-77 &lt;img src=x onerror=alert(1)&gt;</textarea>"));
    EXPECT_FALSE(contains(page, k_attack));
    expect_nothing_inline(page);
}

TEST(StatusPage, KeepsTheTicketNumberInTheHeadingInOnePiece)
{
    // At 360 px "RD-" and "000007" stood on two lines: the number is a span the stylesheet keeps whole.
    for (const char* language : {"en", "ru", "de"}) {
        std::string page = render_status_page(facts(TicketStatus::investigating), view(language));
        std::smatch heading;
        ASSERT_TRUE(std::regex_search(page, heading, std::regex("<h1>([^\n]*)</h1>"))) << page;
        EXPECT_TRUE(contains(heading[1].str(), "<span class=\"ticket-number\">RD-000007</span>")) << heading[0];
    }
    EXPECT_TRUE(contains(std::string(customer_asset("customer.css")->body), ".ticket-number { white-space: nowrap; }"));
    EXPECT_EQ(fill_markup("Complaint {number} & more", {{"number", "<span>RD-1</span>"}}),
              "Complaint <span>RD-1</span> &amp; more");
}

TEST(StatusPage, SaysWhereTheComplaintStandsInTheCustomersLanguage)
{
    std::string ru = render_status_page(facts(TicketStatus::investigating), view("ru"));
    EXPECT_TRUE(contains(ru, "<html lang=\"ru\">"));
    EXPECT_TRUE(contains(ru, "Жалоба RD-000007"));
    EXPECT_TRUE(contains(ru, "Зарегистрирована <span class=\"mark\">(пройдено)</span>")) << ru;
    EXPECT_TRUE(contains(ru, "aria-current=\"step\">Идёт проверка <span class=\"mark\">(сейчас)</span>")) << ru;
    EXPECT_TRUE(contains(ru, "Мы выясняем, что произошло."));
    // The promised times, in the company's zone and the page's language.
    EXPECT_TRUE(contains(ru, "Сотрудник ответит вам не позднее"));
    EXPECT_TRUE(contains(ru, "26 ноября 2026, 16:25 по московскому времени (UTC+3)")) << ru;
    EXPECT_TRUE(contains(ru, "Добавить сообщение"));
    EXPECT_TRUE(contains(ru, "name=\"token\" value=\"123.abc.sig\""));

    std::string en = render_status_page(facts(TicketStatus::investigating), view("en"));
    EXPECT_TRUE(contains(en, "Being investigated"));
    EXPECT_TRUE(contains(en, "26 November 2026, 16:25 Moscow time (UTC+3)")) << en;
    EXPECT_TRUE(contains(en, "Letters we sent you"));
}

TEST(StatusPage, FollowsTheTicketThroughItsStages)
{
    EXPECT_EQ(stage_of(TicketStatus::new_ticket), 0);
    EXPECT_EQ(stage_of(TicketStatus::acknowledged), 0);
    EXPECT_EQ(stage_of(TicketStatus::investigating), 1);
    EXPECT_EQ(stage_of(TicketStatus::unjustified), 2);
    EXPECT_EQ(stage_of(TicketStatus::action_planned), 3);
    EXPECT_EQ(stage_of(TicketStatus::closed), 4);

    StatusFacts planned = facts(TicketStatus::action_planned);
    planned.ticket.verdict = "justified";
    planned.ticket.first_responded_at = k_at + Seconds{600};
    CorrectiveAction a;
    a.text = "A new kettle is sent";
    a.due = k_at + Seconds{2 * 86400};
    planned.actions.push_back(a);
    std::string page = render_status_page(planned, view("en"));
    EXPECT_TRUE(contains(page, "What we will do for you"));
    EXPECT_TRUE(contains(page, "A new kettle is sent <span class=\"when\">by 28 November 2026")) << page;
    EXPECT_TRUE(contains(page, "A person answered you on"));
    EXPECT_FALSE(contains(page, "A person answers you by"));

    // An unjustified complaint puts nothing right: no such stage.
    StatusFacts unjustified = facts(TicketStatus::unjustified);
    unjustified.ticket.verdict = "unjustified";
    std::string u = render_status_page(unjustified, view("en"));
    EXPECT_FALSE(contains(u, "What will be done"));
    EXPECT_TRUE(contains(u, "we kept our obligations"));

    StatusFacts closed = facts(TicketStatus::closed);
    closed.ticket.awaiting_customer = false;
    std::string c = render_status_page(closed, view("de"));
    EXPECT_EQ(std::regex_search(c, std::regex("aria-current=\"step\"")), false);
    EXPECT_TRUE(contains(c, "Erledigt <span class=\"mark\">(erledigt)</span>"));
}

TEST(StatusPage, GivesARefusedMessageBackWithTheReason)
{
    StatusView v = view("uk");
    v.problem = StatusProblem::too_long;
    v.max_message = 10;
    v.draft = "Занадто " + k_attack;
    std::string page = render_status_page(facts(TicketStatus::acknowledged), v);
    EXPECT_TRUE(contains(page, "role=\"alert\""));
    EXPECT_TRUE(contains(page, "не більше 10 символів"));
    EXPECT_TRUE(contains(page, "aria-invalid=\"true\">Занадто &lt;img"));

    StatusView added = view("en");
    added.notice = StatusNotice::follow_up_opened;
    added.follow_up_number = "RD-000009";
    added.follow_up_url = "https://help.test/status/RD-000009/sig";
    std::string later = render_status_page(facts(TicketStatus::closed), added);
    EXPECT_TRUE(contains(later, "number RD-000009"));
    EXPECT_TRUE(contains(later, "href=\"https://help.test/status/RD-000009/sig\""));
}

TEST(ComplaintPage, HasLabelledFieldsTheHoneypotOutOfReachAndTheLimits)
{
    ComplaintFormView v;
    v.language = "es";
    v.company = "Tienda";
    v.form_token = "1.n.s";
    std::string page = render_complaint_form(v);
    for (std::string id : {"name", "email", "phone", "details", "when", "reference", "files", "website"}) {
        EXPECT_TRUE(contains(page, "<label for=\"" + id + "\">")) << id;
        EXPECT_TRUE(contains(page, "id=\"" + id + "\"")) << id;
    }
    EXPECT_TRUE(contains(page, "enctype=\"multipart/form-data\""));
    EXPECT_TRUE(contains(page, "<div class=\"away\" aria-hidden=\"true\">"));
    EXPECT_TRUE(contains(page, "tabindex=\"-1\""));
    EXPECT_TRUE(contains(page, "data-max-files=\"5\""));
    EXPECT_TRUE(contains(page, "Como máximo 5 archivos, 10 MB en total."));
    EXPECT_TRUE(contains(page, "<input type=\"hidden\" name=\"lang\" value=\"es\">"));
    EXPECT_TRUE(contains(page, "src=\"customer/complain.js\""));
    EXPECT_FALSE(contains(page, "role=\"alert\""));
    expect_nothing_inline(page);
}

TEST(ComplaintPage, ExplainsARefusalAndFillsTheFormInAgain)
{
    ComplaintFormView v;
    v.language = "ru";
    v.support_address = "support@shop.test";
    v.problem = ComplaintProblem::rate;
    v.had_files = true;
    v.draft = ComplaintDraft{"Анна " + k_attack, "anna@example.org", "", "Чайник пришёл разбитым", "вчера", "A-1"};
    std::string page = render_complaint_form(v);
    EXPECT_TRUE(contains(page, "role=\"alert\""));
    EXPECT_TRUE(contains(page, "напишите на support@shop.test"));
    EXPECT_TRUE(contains(page, "выберите их, пожалуйста, ещё раз"));
    EXPECT_TRUE(contains(page, "value=\"Анна &lt;img src=x onerror=alert(1)&gt;\""));
    EXPECT_TRUE(contains(page, ">Чайник пришёл разбитым</textarea>"));
    EXPECT_FALSE(contains(page, k_attack));

    v.problem = ComplaintProblem::contact;
    v.had_files = false;
    page = render_complaint_form(v);
    EXPECT_TRUE(contains(page, "id=\"email\" name=\"email\" value=\"anna@example.org\" autocomplete=\"email\" "
                               "aria-invalid=\"true\""));
}

TEST(ComplaintPage, ThanksWithTheNumberAndTheStatusLink)
{
    ComplaintThanks t;
    t.language = "en";
    t.number = "RD-000042";
    t.status_url = "https://help.test/status/RD-000042/abc";
    t.email = "anna@example.org";
    std::string page = render_complaint_thanks(t);
    EXPECT_TRUE(contains(page, "registered under the number RD-000042"));
    EXPECT_TRUE(contains(page, "<a href=\"https://help.test/status/RD-000042/abc\""));
    EXPECT_TRUE(contains(page, "confirmation to anna@example.org"));

    t.duplicate = true;
    EXPECT_TRUE(contains(render_complaint_thanks(t), "This form was sent already."));
}

TEST(SurveyPage, OffersTheFiveScoresInTheCustomersLanguage)
{
    SurveyView v;
    v.language = "be";
    v.number = "RD-000003";
    std::string page = render_survey_form(v);
    for (int score = 1; score <= 5; ++score)
        EXPECT_TRUE(contains(page, "name=\"score\" value=\"" + std::to_string(score) + "\" required"));
    EXPECT_TRUE(contains(page, "<label for=\"score-5\">5 — выдатна</label>"));
    EXPECT_TRUE(contains(page, "Як мы справіліся з вашай скаргай <span class=\"ticket-number\">RD-000003</span>?"));
    expect_nothing_inline(page);
    // The form carries its token; a refusal is told in the page's language, never the service's English.
    v.form_token = "1764500000.nonce.signature";
    EXPECT_TRUE(
        contains(render_survey_form(v), "<input type=\"hidden\" name=\"token\" value=\"1764500000.nonce.signature\">"));
    v.problem = SurveyProblem::refused;
    EXPECT_TRUE(contains(render_survey_form(v), "Ваш адказ не ўдалося запісаць."));
    v.problem = SurveyProblem::expired;
    EXPECT_TRUE(contains(render_survey_form(v), "Старонка была адкрыта занадта доўга"));

    v.problem = SurveyProblem::too_long;
    v.score = 4;
    v.comment = k_attack;
    page = render_survey_form(v);
    EXPECT_TRUE(contains(page, "value=\"4\" required checked"));
    EXPECT_FALSE(contains(page, k_attack));
    EXPECT_TRUE(contains(render_survey_thanks(v), "RD-000003"));
}

TEST(NotFound, TellsNothingAboutWhatIsMissing)
{
    std::string page = render_not_found("en", "../../");
    EXPECT_TRUE(contains(page, "There is nothing at this address."));
    EXPECT_EQ(render_not_found("en", "../../"), page);
}

TEST(LinkExpired, SaysTheLinkExpiredInTheVisitorsLanguageAndNothingOfTheTicket)
{
    std::string page = render_link_expired("ru", "../../");
    EXPECT_TRUE(contains(page, "Срок действия ссылки истёк"));
    EXPECT_TRUE(contains(page, "lang=\"ru\"")) << page;
    EXPECT_FALSE(contains(page, "RD-"));
}

TEST(Assets, ServesTheStylesheetAndTheScriptModule)
{
    auto css = customer_asset("customer.css");
    ASSERT_TRUE(css);
    EXPECT_TRUE(css->content_type.starts_with("text/css"));
    EXPECT_TRUE(css->body.find(".away") != std::string_view::npos);
    auto js = customer_asset("complain.js");
    ASSERT_TRUE(js);
    EXPECT_TRUE(js->content_type.starts_with("text/javascript"));
    EXPECT_TRUE(js->body.find("setCustomValidity") != std::string_view::npos);
    EXPECT_FALSE(customer_asset("../redress.db"));
}

TEST(Characters, CountsCharactersNotBytes)
{
    EXPECT_EQ(characters("abc"), 3u);
    EXPECT_EQ(characters("Жалоба"), 6u);
    EXPECT_EQ(characters(""), 0u);
}

}  // namespace
