// redress_bench_search: full-text search on a generated store of complaints in the seven languages.
//
// The messages are made from word lists of our own (below): a subject and 15-70 words each, words
// drawn with Zipf-like frequencies from a hundred common words per language, and one word in twelve
// from a long tail of made-up words (names, products), so a few words are in many messages and most
// in few, as in real text. Three tickets' worth of messages per ticket, channels and statuses spread over them, dates
// over a year. Figures (bench/README.md):
//   - build: messages written through the store (ticket + message in one transaction per --batch
//     messages), with the index, and the same rows written on a plain connection into a copy of the
//     schema without the index: insert cost per message with vs without, in the same run;
//   - sizes: the index (search_index's shadow tables), its content table (search_docs) and the
//     messages table, from dbstat;
//   - queries: single words (frequent, middling, rare), two-word phrases taken from stored
//     messages, words with filters (lang:, status:, kind:, from:, after:/before:, channel:), an
//     exclusion and an OR, each --queries times,
//     p50 and p99 latency; against two references in the same run: the same words matched by FTS5
//     without ranking (LIMIT 20 in rowid order) and, for a few words, the LIKE scan the ticket list's
//     ?q= does.

#include "common/time.hpp"
#include "search/query.hpp"
#include "store/sqlite_search.hpp"
#include "store/sqlite_store.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <time.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace redress;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Words of complaints, most common first, in each language. Written for this benchmark.
struct Language {
    const char* code;
    std::vector<std::string> words;
};

std::vector<Language> languages()
{
    return {
        {"en", {"the",        "and",          "order",        "my",           "not",      "was",       "delivery",
                "courier",    "refund",       "still",        "parcel",       "please",   "money",     "days",
                "week",       "broken",       "late",         "never",        "arrived",  "support",   "answer",
                "phone",      "store",        "kettle",       "replacement",  "package",  "damaged",   "waiting",
                "customer",   "service",      "again",        "called",       "manager",  "complaint", "return",
                "receipt",    "payment",      "card",         "charged",      "twice",    "box",       "address",
                "wrong",      "item",         "missing",      "lid",          "handle",   "cracked",   "warranty",
                "repair",     "shop",         "staff",        "rude",         "promised", "tomorrow",  "yesterday",
                "email",      "reply",        "nobody",       "cancel",       "account",  "discount",  "price",
                "invoice",    "driver",       "door",         "neighbour",    "tracking", "number",    "status",
                "delivered",  "refunded",     "deliveries",   "orders",       "couriers", "refunds",   "parcels",
                "complaints", "waited",       "hours",        "toaster",      "blender",  "gasket",    "leaking",
                "smell",      "burnt",        "instructions", "manual",       "colour",   "size",      "exchange",
                "voucher",    "compensation", "apology",      "disappointed", "terrible", "excellent", "thanks"}},
        {"ru",
         {"и",         "не",          "заказ",        "что",        "я",        "доставка", "курьер",    "деньги",
          "посылку",   "уже",         "возврат",      "пожалуйста", "неделю",   "дней",     "сломан",    "опоздал",
          "так",       "и",           "привезли",     "поддержка",  "ответа",   "телефон",  "магазин",   "чайник",
          "замену",    "посылка",     "повреждена",   "жду",        "клиент",   "сервис",   "снова",     "звонил",
          "менеджер",  "жалоба",      "вернуть",      "чек",        "оплата",   "карта",    "списали",   "дважды",
          "коробка",   "адрес",       "неправильный", "товар",      "нет",      "крышка",   "ручка",     "треснула",
          "гарантия",  "ремонт",      "сотрудник",    "грубый",     "обещали",  "завтра",   "вчера",     "письмо",
          "никто",     "отменить",    "скидка",       "цена",       "счёт",     "водитель", "дверь",     "соседи",
          "трек",      "номер",       "статус",       "доставили",  "доставки", "доставку", "заказы",    "курьеры",
          "посылки",   "жалобы",      "ждал",         "часов",      "тостер",   "блендер",  "прокладка", "течёт",
          "запах",     "сгорел",      "инструкция",   "цвет",       "размер",   "обмен",    "купон",     "компенсация",
          "извинения", "разочарован", "ужасно",       "отлично",    "спасибо"}},
        {"uk", {"і",           "не",        "замовлення",   "що",         "я",          "доставка",  "кур'єр",
                "гроші",       "посилку",   "вже",          "повернення", "будь",       "ласка",     "тиждень",
                "днів",        "зламаний",  "запізнився",   "привезли",   "підтримка",  "відповіді", "телефон",
                "магазин",     "чайник",    "заміну",       "посилка",    "пошкоджена", "чекаю",     "клієнт",
                "сервіс",      "знову",     "телефонував",  "менеджер",   "скарга",     "повернути", "чек",
                "оплата",      "картка",    "списали",      "двічі",      "коробка",    "адреса",    "неправильний",
                "товар",       "немає",     "кришка",       "ручка",      "тріснула",   "гарантія",  "ремонт",
                "працівник",   "грубий",    "обіцяли",      "завтра",     "вчора",      "лист",      "ніхто",
                "скасувати",   "знижка",    "ціна",         "рахунок",    "водій",      "двері",     "сусіди",
                "номер",       "статус",    "доставили",    "доставки",   "доставку",   "замовлень", "кур'єри",
                "посилки",     "скарги",    "чекав",        "годин",      "тостер",     "блендер",   "прокладка",
                "тече",        "запах",     "згорів",       "інструкція", "колір",      "розмір",    "обмін",
                "компенсація", "вибачення", "розчарований", "жахливо",    "чудово",     "дякую",     "ґудзик",
                "їжа",         "єдиний"}},
        {"be",
         {"і",          "не",          "заказ",     "што",      "я",           "дастаўка",   "кур'ер",      "грошы",
          "пасылку",    "ужо",         "вяртанне",  "калі",     "ласка",       "тыдзень",    "дзён",        "зламаны",
          "спазніўся",  "прывезлі",    "падтрымка", "адказу",   "тэлефон",     "крама",      "чайнік",      "замену",
          "пасылка",    "пашкоджана",  "чакаю",     "кліент",   "сэрвіс",      "зноў",       "тэлефанаваў", "менеджар",
          "скарга",     "вярнуць",     "чэк",       "аплата",   "картка",      "спісалі",    "двойчы",      "скрынка",
          "адрас",      "няправільны", "тавар",     "няма",     "вечка",       "ручка",      "трэснула",    "гарантыя",
          "рамонт",     "супрацоўнік", "грубы",     "абяцалі",  "заўтра",      "учора",      "ліст",        "ніхто",
          "адмяніць",   "зніжка",      "цана",      "рахунак",  "вадзіцель",   "дзверы",     "суседзі",     "нумар",
          "статус",     "даставілі",   "дастаўкі",  "дастаўку", "заказы",      "кур'еры",    "пасылкі",     "скаргі",
          "чакаў",      "гадзін",      "тостар",    "блэндэр",  "пракладка",   "цячэ",       "пах",         "згарэў",
          "інструкцыя", "колер",       "памер",     "абмен",    "кампенсацыя", "прабачэнні", "расчараваны", "жахліва",
          "выдатна",    "дзякуй",      "ўсё",       "ўжо"}},
        {"pt",
         {"o",
          "e",
          "encomenda",
          "não",
          "a",
          "entrega",
          "estafeta",
          "dinheiro",
          "pacote",
          "ainda",
          "reembolso",
          "por",
          "favor",
          "semana",
          "dias",
          "partido",
          "atrasado",
          "nunca",
          "chegou",
          "apoio",
          "resposta",
          "telefone",
          "loja",
          "chaleira",
          "substituição",
          "embalagem",
          "danificada",
          "espero",
          "cliente",
          "serviço",
          "outra",
          "vez",
          "liguei",
          "gerente",
          "reclamação",
          "devolver",
          "recibo",
          "pagamento",
          "cartão",
          "cobrado",
          "duas",
          "vezes",
          "caixa",
          "morada",
          "errado",
          "artigo",
          "falta",
          "tampa",
          "pega",
          "rachada",
          "garantia",
          "reparação",
          "funcionário",
          "rude",
          "prometeram",
          "amanhã",
          "ontem",
          "email",
          "ninguém",
          "cancelar",
          "conta",
          "desconto",
          "preço",
          "fatura",
          "motorista",
          "porta",
          "vizinho",
          "número",
          "estado",
          "entregue",
          "entregas",
          "encomendas",
          "reembolsos",
          "pacotes",
          "reclamações",
          "esperei",
          "horas",
          "torradeira",
          "liquidificador",
          "vedante",
          "pinga",
          "cheiro",
          "queimado",
          "instruções",
          "cor",
          "tamanho",
          "troca",
          "vale",
          "compensação",
          "desculpas",
          "desiludido",
          "terrível",
          "excelente",
          "obrigado"}},
        {"de", {"die",           "und",
                "Bestellung",    "nicht",
                "ich",           "Lieferung",
                "Kurier",        "Geld",
                "Paket",         "immer",
                "noch",          "Erstattung",
                "bitte",         "Woche",
                "Tage",          "kaputt",
                "verspätet",     "nie",
                "angekommen",    "Kundendienst",
                "Antwort",       "Telefon",
                "Geschäft",      "Wasserkocher",
                "Ersatz",        "Verpackung",
                "beschädigt",    "warte",
                "Kunde",         "Service",
                "wieder",        "angerufen",
                "Leiter",        "Beschwerde",
                "zurückgeben",   "Quittung",
                "Zahlung",       "Karte",
                "abgebucht",     "zweimal",
                "Karton",        "Adresse",
                "falsch",        "Artikel",
                "fehlt",         "Deckel",
                "Griff",         "gesprungen",
                "Garantie",      "Reparatur",
                "Mitarbeiter",   "unfreundlich",
                "versprochen",   "morgen",
                "gestern",       "E-Mail",
                "niemand",       "stornieren",
                "Konto",         "Rabatt",
                "Preis",         "Rechnung",
                "Fahrer",        "Tür",
                "Nachbar",       "Sendungsnummer",
                "Status",        "geliefert",
                "Lieferungen",   "Bestellungen",
                "Pakete",        "Erstattungen",
                "Beschwerden",   "gewartet",
                "Stunden",       "Toaster",
                "Mixer",         "Dichtung",
                "tropft",        "Geruch",
                "verbrannt",     "Anleitung",
                "Farbe",         "Größe",
                "Umtausch",      "Gutschein",
                "Entschädigung", "Entschuldigung",
                "enttäuscht",    "schrecklich",
                "ausgezeichnet", "danke",
                "Lieferzeit",    "Rücksendung",
                "Kundennummer"}},
        {"es", {"el",           "y",           "pedido",        "no",         "mi",           "entrega",
                "repartidor",   "dinero",      "paquete",       "todavía",    "reembolso",    "por",
                "favor",        "semana",      "días",          "roto",       "tarde",        "nunca",
                "llegó",        "soporte",     "respuesta",     "teléfono",   "tienda",       "hervidor",
                "reemplazo",    "embalaje",    "dañado",        "espero",     "cliente",      "servicio",
                "otra",         "vez",         "llamé",         "gerente",    "reclamación",  "devolver",
                "recibo",       "pago",        "tarjeta",       "cobrado",    "dos",          "veces",
                "caja",         "dirección",   "equivocado",    "artículo",   "falta",        "tapa",
                "asa",          "agrietada",   "garantía",      "reparación", "empleado",     "grosero",
                "prometieron",  "mañana",      "ayer",          "correo",     "nadie",        "cancelar",
                "cuenta",       "descuento",   "precio",        "factura",    "conductor",    "puerta",
                "vecino",       "seguimiento", "estado",        "entregado",  "entregas",     "pedidos",
                "reembolsos",   "paquetes",    "reclamaciones", "esperé",     "horas",        "tostadora",
                "licuadora",    "junta",       "gotea",         "olor",       "quemado",      "instrucciones",
                "color",        "tamaño",      "cambio",        "vale",       "compensación", "disculpas",
                "decepcionado", "terrible",    "excelente",     "gracias",    "reembolsar",   "reembolsado"}},
    };
}

// Draws word indices with weight 1 / (rank + 2): Zipf-like, a little flatter at the top.
class ZipfWords {
public:
    explicit ZipfWords(std::size_t n)
    {
        double total = 0;
        for (std::size_t i = 0; i < n; ++i)
            m_cumulative.push_back(total += 1.0 / static_cast<double>(i + 2));
    }
    std::size_t draw(std::mt19937_64& random) const
    {
        std::uniform_real_distribution<double> u(0, m_cumulative.back());
        auto it = std::lower_bound(m_cumulative.begin(), m_cumulative.end(), u(random));
        return static_cast<std::size_t>(it - m_cumulative.begin());
    }

private:
    std::vector<double> m_cumulative;
};

struct Generated {
    std::string language;
    std::string subject;
    std::string text;
};

// The long tail of real text (names, products, places, typos): made-up words of four syllables in
// the language's script, 65,536 possible per script, drawn evenly; one word in twelve is one.
std::string tail_word(const std::string& code, std::uint64_t n)
{
    static const char* latin[] = {"ka",  "lo",  "mer", "ti", "sun", "ber", "dal", "ro",
                                  "vin", "est", "pa",  "gu", "sel", "no",  "fir", "tam"};
    static const char* cyrillic[] = {"ка",  "ло",  "мер", "ти", "сун", "бер", "дал", "ро",
                                     "вин", "ест", "па",  "гу", "сел", "но",  "фир", "там"};
    bool cyr = code == "ru" || code == "uk" || code == "be";
    std::string w;
    for (int i = 0; i < 4; ++i, n >>= 4)
        w += (cyr ? cyrillic : latin)[n & 15];
    return w;
}

Generated generate(const std::vector<Language>& langs, std::mt19937_64& random)
{
    const auto& lang = langs[random() % langs.size()];
    static const ZipfWords zipf(100);
    auto pick = [&] {
        if (random() % 12 == 0)
            return tail_word(lang.code, random() % 65536);
        return lang.words[zipf.draw(random) % lang.words.size()];
    };
    Generated g;
    g.language = lang.code;
    auto subject_words = 2 + random() % 4;
    for (std::size_t i = 0; i < subject_words; ++i)
        g.subject += (i ? " " : "") + pick();
    auto words = 15 + random() % 56;
    for (std::size_t i = 0; i < words; ++i) {
        g.text += (i ? (random() % 9 == 0 ? ". " : " ") : "") + pick();
        if (random() % 40 == 0)
            g.text += " " + std::to_string(100000 + random() % 900000);  // an order number
    }
    g.text += ".";
    return g;
}

double cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double seconds_since(SteadyClock::time_point start)
{
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
    return v[std::min(i, v.size() - 1)];
}

const char* k_statuses[] = {"new", "acknowledged", "investigating", "resolved", "closed"};
const char* k_channels[] = {"email", "email", "email", "chat:tg", "web"};

struct BuildFigures {
    double with_index_us_wall = 0, with_index_us_cpu = 0;
    double without_index_us_wall = 0, without_index_us_cpu = 0;
};

void check(bool ok, const std::string& what)
{
    if (!ok) {
        std::cerr << "redress_bench_search: " << what << "\n";
        std::exit(1);
    }
}

// The same message rows on a plain connection, into a messages table without the search index:
// the reference the cost of indexing is measured against.
double write_without_index(sqlite3* db, const std::vector<Generated>& batch, std::int64_t& key)
{
    static const char* sql =
        "INSERT INTO messages (ticket_id, channel, source, source_key, message_id, direction, from_address, subject, "
        "text, received_at, kind, language, severity, classification, raw) VALUES (NULL, 'email', 'bench', ?1, '', "
        "'in', 'c@example.com', ?2, ?3, 1700000000, 'complaint', ?4, 'normal', '{}', 'raw')";
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    for (const auto& g : batch) {
        auto k = "ref:" + std::to_string(++key);
        sqlite3_bind_text(stmt, 1, k.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, g.subject.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, g.text.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, g.language.c_str(), -1, SQLITE_STATIC);
        check(sqlite3_step(stmt) == SQLITE_DONE, std::string("reference insert: ") + sqlite3_errmsg(db));
        sqlite3_reset(stmt);
    }
    check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK, "reference commit");
    sqlite3_finalize(stmt);
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    CLI::App app{"redress_bench_search: full-text search on a generated store (bench/README.md)"};
    long messages = 100000;
    int batch = 500;
    int queries = 200;
    unsigned seed = 18;
    std::string dir_option;
    bool keep = false;
    app.add_option("--messages", messages, "Messages to generate (default 100000; the issue's figure is 1000000)");
    app.add_option("--batch", batch, "Messages per transaction while building (default 500)");
    app.add_option("--queries", queries, "Runs of each query kind (default 200)");
    app.add_option("--seed", seed, "Random seed (default 18)");
    app.add_option("--dir", dir_option, "Folder for the database (default $TMPDIR/redress-bench-search-<pid>)");
    app.add_flag("--keep", keep, "Keep the database; a later run with --dir and the same --messages reuses it");
    CLI11_PARSE(app, argc, argv);
    // Line by line: a long run shows each figure as it comes.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    fs::path dir = dir_option.empty()
                       ? fs::temp_directory_path() / ("redress-bench-search-" + std::to_string(::getpid()))
                       : fs::path(dir_option);
    fs::create_directories(dir);
    auto file = dir / "redress.db";
    auto reference_file = dir / "reference.db";
    bool reuse = fs::exists(file);
    auto langs = languages();
    std::mt19937_64 random(seed);
    nlohmann::json figures;
    figures["messages"] = messages;

    // The reference database: the same schema before the search migration, written on a plain
    // connection (no tokenizer, no index).
    fs::remove(reference_file);
    constexpr int k_before_search = 5;  // migration 6 adds the search index
    check(store::SqliteStore::create_at_version(reference_file, k_before_search).ok(),
          "cannot create the reference database");
    sqlite3* reference = nullptr;
    sqlite3_open(reference_file.c_str(), &reference);
    sqlite3_exec(reference, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", nullptr, nullptr, nullptr);

    auto opened = store::SqliteStore::open(file);
    check(opened.ok(), opened.ok() ? "" : opened.error().message);
    auto& db = **opened;

    // Build: batches alternate between the store (with the index) and the reference, so that the
    // machine's load falls on both alike. Only the first 100,000 messages go to the reference too.
    std::vector<double> with_wall, with_cpu, without_wall, without_cpu;
    std::int64_t reference_key = 0;
    std::vector<std::pair<std::string, std::string>> phrases;  // (language, two adjacent words)
    auto build_start = SteadyClock::now();
    long written = 0;
    if (reuse) {
        std::cout << "reusing " << file << "\n";
        written = messages;
    }
    while (written < messages) {
        std::vector<Generated> chunk;
        for (int i = 0; i < batch && written + static_cast<long>(chunk.size()) < messages; ++i)
            chunk.push_back(generate(langs, random));
        auto wall = SteadyClock::now();
        double cpu = cpu_seconds();
        auto tx = db.begin();
        check(tx.ok(), "begin");
        std::optional<Ticket> ticket;
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            const auto& g = chunk[i];
            auto n = written + static_cast<long>(i);
            auto at = TimePoint{Seconds{1735689600 + (n * 31536000L) / std::max(messages, 1L)}};
            if (n % 3 == 0) {
                Ticket t;
                t.channel = k_channels[n % 5];
                t.source = "bench";
                t.kind = n % 7 == 0 ? Kind::question : Kind::complaint;
                t.status = ticket_status_from_string(k_statuses[(n / 3) % 5]).value();
                t.language = g.language;
                t.subject = g.subject;
                t.customer.email = "customer" + std::to_string(n % 50000) + "@example.com";
                t.received_at = t.updated_at = at;
                auto made = (*tx)->create_ticket(t, "RD");
                check(made.ok(), "create_ticket");
                ticket = *made;
            }
            StoredMessage m;
            m.ticket_id = ticket ? ticket->id : 0;
            m.channel = ticket ? ticket->channel : "email";
            m.source = "bench";
            m.source_key = "bench:" + std::to_string(n);
            m.from_address = ticket ? ticket->customer.email : "";
            m.subject = g.subject;
            m.text = g.text;
            m.received_at = at;
            m.kind = Kind::complaint;
            m.language = g.language;
            m.raw = "raw";
            check((*tx)->add_message(m).ok(), "add_message");
            if (phrases.size() < 1000 && random() % 50 == 0) {
                auto space = g.text.find(' ', g.text.size() / 2);
                auto next = space == std::string::npos ? space : g.text.find_first_of(" .", space + 1);
                auto end = next == std::string::npos ? next : g.text.find_first_of(" .", next + 1);
                if (end != std::string::npos && g.text[next] == ' ')
                    phrases.emplace_back(g.language, g.text.substr(space + 1, end - space - 1));
            }
        }
        check((*tx)->commit().ok(), "commit");
        // Per message of the batch: the ticket rows (one per three messages) are part of the cost.
        with_wall.push_back(seconds_since(wall) * 1e6 / static_cast<double>(chunk.size()));
        with_cpu.push_back((cpu_seconds() - cpu) * 1e6 / static_cast<double>(chunk.size()));
        if (written < 100000) {
            wall = SteadyClock::now();
            cpu = cpu_seconds();
            write_without_index(reference, chunk, reference_key);
            without_wall.push_back(seconds_since(wall) * 1e6 / static_cast<double>(chunk.size()));
            without_cpu.push_back((cpu_seconds() - cpu) * 1e6 / static_cast<double>(chunk.size()));
        }
        written += static_cast<long>(chunk.size());
        if (written % 100000 < batch)
            std::cerr << "  " << written << " messages, " << static_cast<int>(seconds_since(build_start)) << " s\n";
    }
    if (!reuse) {
        figures["build_seconds"] = seconds_since(build_start);
        // The median batch: the first 100,000 messages of each side, batch by batch.
        std::size_t paired = without_wall.size();
        std::vector<double> first_with_wall(with_wall.begin(), with_wall.begin() + static_cast<long>(paired));
        std::vector<double> first_with_cpu(with_cpu.begin(), with_cpu.begin() + static_cast<long>(paired));
        figures["insert_us_per_message_with_index_wall_p50"] = percentile(first_with_wall, 0.5);
        figures["insert_us_per_message_with_index_cpu_p50"] = percentile(first_with_cpu, 0.5);
        figures["insert_us_per_message_without_index_wall_p50"] = percentile(without_wall, 0.5);
        figures["insert_us_per_message_without_index_cpu_p50"] = percentile(without_cpu, 0.5);
        figures["insert_us_per_message_with_index_wall_p50_all"] = percentile(with_wall, 0.5);
        figures["insert_us_per_message_with_index_wall_p50_last_tenth"] = percentile(
            std::vector<double>(with_wall.end() - static_cast<long>(std::max<std::size_t>(with_wall.size() / 10, 1)),
                                with_wall.end()),
            0.5);
        figures["ratio_insert_cpu_with_to_without_index"] =
            percentile(first_with_cpu, 0.5) / std::max(percentile(without_cpu, 0.5), 1e-9);
    }
    sqlite3_close(reference);

    // Sizes, from dbstat on a plain connection (it reads pages, not the index).
    sqlite3* plain = nullptr;
    sqlite3_open_v2(file.c_str(), &plain, SQLITE_OPEN_READONLY, nullptr);
    auto size_of = [&](const char* like) {
        sqlite3_stmt* stmt = nullptr;
        std::string sql = std::string("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE '") + like + "'";
        sqlite3_prepare_v2(plain, sql.c_str(), -1, &stmt, nullptr);
        double bytes = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_double(stmt, 0) : 0;
        sqlite3_finalize(stmt);
        return bytes / 1048576.0;
    };
    figures["mib_index"] = size_of("search_index%");
    figures["mib_search_docs"] = size_of("search_docs%") + size_of("sqlite_autoindex_search_docs%");
    figures["mib_messages"] = size_of("messages") + size_of("sqlite_autoindex_messages%") + size_of("messages_%");
    figures["mib_file"] = static_cast<double>(fs::file_size(file)) / 1048576.0;
    sqlite3_close(plain);

    // Queries. Words by frequency band: the 5th, 30th and 90th most common of each language list.
    std::vector<std::string> frequent, middling, rare;
    for (const auto& l : langs) {
        frequent.push_back(l.words[5]);
        middling.push_back(l.words[30]);
        rare.push_back(l.words[90]);
    }
    // Words of the long tail: each in about one message in 600 (a name, a product).
    std::vector<std::string> tail;
    for (std::uint64_t i = 0; i < 100; ++i)
        tail.push_back(tail_word(langs[i % langs.size()].code, (i * 7919) % 65536));
    if (phrases.empty())
        phrases = {{"en", "courier refund"}, {"ru", "курьер деньги"}};
    auto time_query = [&](const std::string& text, int limit) {
        auto q = search::parse_query(text);
        check(q.ok(), "query " + text + ": " + (q.ok() ? "" : q.error().message));
        auto start = SteadyClock::now();
        auto page = db.search(store::SearchRequest{*q, limit, 0});
        double ms = seconds_since(start) * 1000;
        check(page.ok(), "search " + text + ": " + (page.ok() ? "" : page.error().message));
        return std::pair{ms, page->hits.size()};
    };
    auto run = [&](const char* name, const std::function<std::string(int)>& query_of) {
        std::vector<double> ms;
        std::size_t found = 0;
        for (int i = 0; i < queries; ++i) {
            auto [t, n] = time_query(query_of(i), 20);
            ms.push_back(t);
            found += n;
        }
        figures[std::string(name) + "_ms_p50"] = percentile(ms, 0.5);
        figures[std::string(name) + "_ms_p99"] = percentile(ms, 0.99);
        figures[std::string(name) + "_hits_mean"] = static_cast<double>(found) / queries;
        std::printf("%-22s p50 %8.2f ms   p99 %8.2f ms   hits/query %.1f\n", name, percentile(ms, 0.5),
                    percentile(ms, 0.99), static_cast<double>(found) / queries);
    };
    auto nth = [](const std::vector<std::string>& v, int i) { return v[static_cast<std::size_t>(i) % v.size()]; };
    // A warm-up pass, so the first figures do not pay for reading the file into the page cache.
    for (const auto& w : frequent)
        time_query(w, 20);
    run("word_frequent", [&](int i) { return nth(frequent, i); });
    run("word_middling", [&](int i) { return nth(middling, i); });
    run("word_rare", [&](int i) { return nth(rare, i); });
    run("word_tail", [&](int i) { return nth(tail, i); });
    run("phrase", [&](int i) { return "\"" + phrases[static_cast<std::size_t>(i) % phrases.size()].second + "\""; });
    run("word_lang_filter", [&](int i) { return nth(middling, i) + " lang:" + langs[i % langs.size()].code; });
    run("word_status_filter", [&](int i) { return nth(middling, i) + " status:investigating"; });
    run("word_date_filter", [&](int i) { return nth(middling, i) + " after:2025-11-01"; });
    run("word_channel_filter", [&](int i) { return nth(frequent, i) + " channel:web kind:message"; });
    run("word_frequent_status", [&](int i) { return nth(frequent, i) + " status:investigating"; });
    run("word_frequent_lang", [&](int i) { return nth(frequent, i) + " lang:" + langs[i % langs.size()].code; });
    run("word_kind_question", [&](int i) { return nth(middling, i) + " kind:question"; });
    run("word_from_filter", [&](int i) {
        return nth(frequent, i) + " from:customer" + std::to_string((i * 977) % 50000) + "@example.com";
    });
    run("word_month_filter", [&](int i) { return nth(middling, i) + " after:2025-06-01 before:2025-07-01"; });
    run("word_exclude", [&](int i) { return nth(middling, i) + " -" + nth(rare, i); });
    run("two_words_or", [&](int i) { return nth(rare, i) + " OR " + nth(middling, i + 1); });

    // Reference 1: the same words matched by FTS5 alone on a connection of the bench's own (with the
    // store's tokenizer), unranked (the first 20 rowids), next to the same MATCH ranked by bm25: what
    // ranking costs, and what the store adds around it (filters, joins, snippets).
    {
        sqlite3* conn = nullptr;
        sqlite3_open_v2(file.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr);
        check(store::register_search(conn) == SQLITE_OK, "register_search");
        auto time_raw = [&](const char* name, const char* sql, const std::vector<std::string>& words) {
            sqlite3_stmt* stmt = nullptr;
            check(sqlite3_prepare_v2(conn, sql, -1, &stmt, nullptr) == SQLITE_OK, sqlite3_errmsg(conn));
            std::vector<double> ms;
            for (int i = 0; i < queries; ++i) {
                auto q = search::parse_query(nth(words, i));
                auto match = store::match_expression(*q);
                sqlite3_bind_text(stmt, 1, match.c_str(), -1, SQLITE_TRANSIENT);
                auto start = SteadyClock::now();
                while (sqlite3_step(stmt) == SQLITE_ROW) { }
                ms.push_back(seconds_since(start) * 1000);
                sqlite3_reset(stmt);
            }
            sqlite3_finalize(stmt);
            figures[std::string(name) + "_ms_p50"] = percentile(ms, 0.5);
            figures[std::string(name) + "_ms_p99"] = percentile(ms, 0.99);
            std::printf("%-22s p50 %8.2f ms   p99 %8.2f ms   (reference)\n", name, percentile(ms, 0.5),
                        percentile(ms, 0.99));
        };
        for (const auto* band : {&frequent, &middling}) {
            bool f = band == &frequent;
            time_raw(f ? "ref_unranked_frequent" : "ref_unranked_middling",
                     "SELECT rowid FROM search_index WHERE search_index MATCH ?1 LIMIT 20", *band);
            time_raw(f ? "ref_ranked_frequent" : "ref_ranked_middling",
                     "SELECT rowid FROM search_index WHERE search_index MATCH ?1 ORDER BY rank LIMIT 20", *band);
        }
        sqlite3_close(conn);
        figures["ratio_word_middling_to_ranked_match"] =
            figures["word_middling_ms_p50"].get<double>() /
            std::max(figures["ref_ranked_middling_ms_p50"].get<double>(), 1e-9);
        figures["ratio_ranked_to_unranked_middling"] =
            figures["ref_ranked_middling_ms_p50"].get<double>() /
            std::max(figures["ref_unranked_middling_ms_p50"].get<double>(), 1e-9);
    }
    // Reference 2: LIKE over the messages' text, as GET /tickets?q= does (a few runs only: a scan).
    {
        sqlite3* scan = nullptr;
        sqlite3_open_v2(file.c_str(), &scan, SQLITE_OPEN_READONLY, nullptr);
        std::vector<double> ms;
        for (int i = 0; i < 5; ++i) {
            sqlite3_stmt* stmt = nullptr;
            sqlite3_prepare_v2(scan, "SELECT id FROM messages WHERE text LIKE ?1 LIMIT 20", -1, &stmt, nullptr);
            auto pattern = "%" + nth(tail, i) + "%";
            sqlite3_bind_text(stmt, 1, pattern.c_str(), -1, SQLITE_TRANSIENT);
            auto start = SteadyClock::now();
            while (sqlite3_step(stmt) == SQLITE_ROW) { }
            ms.push_back(seconds_since(start) * 1000);
            sqlite3_finalize(stmt);
        }
        sqlite3_close(scan);
        figures["like_scan_tail_ms_p50"] = percentile(ms, 0.5);
        figures["ratio_word_tail_to_like_scan"] =
            figures["word_tail_ms_p50"].get<double>() / std::max(percentile(ms, 0.5), 1e-9);
        std::printf("%-22s p50 %8.2f ms   (reference: LIKE scan, 5 runs)\n", "like_scan_tail", percentile(ms, 0.5));
    }
    std::cout << figures.dump() << "\n";
    if (!keep)
        fs::remove_all(dir);
    return 0;
}
