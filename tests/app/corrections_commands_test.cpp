// The corrections staff make, as the classifier's training data: a real SQLite store with corrected
// tickets, `redress train --with-corrections` writing a candidate, `redress eval --corrections`
// scoring the live model and the candidate on the corrections held out, `redress model promote`
// making the candidate live (the previous kept), the daemon's reload (SIGHUP) and `redress classify
// --config` using it, and `redress model rollback`.

#include "app/classifier_commands.hpp"
#include "app/model_commands.hpp"
#include "classify/corrections.hpp"
#include "config/config.hpp"
#include "pipeline/runtime.hpp"
#include "store/open_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace redress;
using namespace redress::app;
namespace fs = std::filesystem;

namespace {

const fs::path k_source = REDRESS_SOURCE_DIR;

std::string read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Words no data set has: what the shipped model cannot know and the company's mail teaches it.
std::string company_words(int i)
{
    return "Zorblat frumious quaxle number " + std::to_string(i) + ", the vorpal snicket again.";
}

class CorrectionsCommands : public ::testing::Test {
protected:
    void SetUp() override
    {
        m_dir = fs::temp_directory_path() / ("redress-corrections-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "model");
        fs::create_directories(m_dir / "var");
        // The live model: the shipped one, copied where the test may replace it.
        fs::copy_file(k_source / "config/model/classifier.bin", m_dir / "model/classifier.bin");
        m_config = m_dir / "redress.json";
        std::ofstream(m_config) << nlohmann::json{{"data_dir", (m_dir / "var").string()},
                                                  {"model_path", (m_dir / "model/classifier.bin").string()}}
                                       .dump();
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // Tickets the classifier read wrong, each corrected by a person to a complaint.
    void correct_tickets(int count)
    {
        auto loaded = config::load_config(m_config, k_source);
        ASSERT_TRUE(loaded.config);
        auto store = store::open_store(*loaded.config, store::OpenMode::create);
        ASSERT_TRUE(store.ok()) << store.error().message;
        auto tx = (*store)->begin();
        ASSERT_TRUE(tx.ok());
        for (int i = 1; i <= count; ++i) {
            Ticket t;
            t.kind = Kind::other;
            t.subject = "Snicket " + std::to_string(i);
            auto made = (*tx)->create_ticket(t, "RD");
            ASSERT_TRUE(made.ok()) << made.error().message;
            StoredMessage m;
            m.ticket_id = made->id;
            m.subject = t.subject;
            m.text = company_words(i);
            m.language = "en";
            m.source_key = "test:" + std::to_string(i);
            ASSERT_TRUE((*tx)->add_message(m).ok());
            Correction c;
            c.ticket_id = made->id;
            c.ticket_number = made->number;
            c.subject = m.subject;
            c.text = m.text;
            c.language = "en";
            c.kind = Kind::complaint;
            c.from_kind = Kind::other;
            c.reason = "a snicket is how our customers say the parcel is lost";
            c.by = "alice";
            ASSERT_TRUE((*tx)->add_correction(c).ok());
            (is_training(made->number) ? m_training : m_held_out).push_back(m.subject + "\n" + m.text);
        }
        ASSERT_TRUE((*tx)->commit().ok());
    }

    static bool is_training(const std::string& number)
    {
        return classify::correction_set(number) == classify::CorrectionSet::training;
    }

    nlohmann::json classify(const std::string& text)
    {
        ClassifyCommandOptions options;
        options.config_file = m_config;
        options.plain = true;
        std::istringstream in(text);
        std::ostringstream out, err;
        EXPECT_EQ(run_classify(options, in, out, err, k_source), 0) << err.str();
        return nlohmann::json::parse(out.str(), nullptr, false);
    }

    fs::path m_dir;
    fs::path m_config;
    std::vector<std::string> m_training;
    std::vector<std::string> m_held_out;
};

}  // namespace

TEST(CorrectionSplit, OneTicketInFiveIsHeldOutTheSameWayEveryTime)
{
    int held = 0;
    for (int i = 1; i <= 1000; ++i) {
        std::string number = "RD-" + std::to_string(100000 + i);
        auto side = classify::correction_set(number);
        EXPECT_EQ(side, classify::correction_set(number));
        held += side == classify::CorrectionSet::held_out ? 1 : 0;
    }
    EXPECT_GT(held, 150);
    EXPECT_LT(held, 250);

    // The latest correction of a ticket is its example.
    Correction first;
    first.ticket_number = "RD-000001";
    first.text = "words";
    first.kind = Kind::question;
    Correction second = first;
    second.kind = Kind::complaint;
    second.severity = Severity::major;
    auto examples = classify::correction_examples({first, second});
    ASSERT_EQ(examples.training.size() + examples.held_out.size(), 1u);
    const auto& e = examples.training.empty() ? examples.held_out.front() : examples.training.front();
    EXPECT_EQ(e.kind, Kind::complaint);
    EXPECT_EQ(e.severity, Severity::major);
    EXPECT_TRUE(e.complaint);
    EXPECT_EQ(e.source, "corrections");
}

TEST_F(CorrectionsCommands, TrainOnTheCorrectionsScoreTheHeldOutPromoteAndClassifyWithTheNewModel)
{
    correct_tickets(30);
    ASSERT_FALSE(m_held_out.empty());
    ASSERT_FALSE(m_training.empty());
    const std::string shipped = read_file(m_dir / "model/classifier.bin");
    EXPECT_NE(classify(m_held_out.front())["kind"], "complaint") << "the shipped model already knows the words";

    // Nothing to promote before a candidate is trained.
    ModelCommandOptions model_options;
    model_options.config_file = m_config;
    {
        std::ostringstream out, err;
        EXPECT_EQ(run_model_promote(model_options, out, err, k_source), 1);
        EXPECT_NE(err.str().find("classifier.candidate.bin"), std::string::npos) << err.str();
    }

    TrainCommandOptions train;
    train.data = {k_source / "tests/data/multilingual.csv"};
    train.folds = 0;
    train.with_corrections = true;
    train.config_file = m_config;
    std::ostringstream train_out, train_err;
    ASSERT_EQ(run_train(train, train_out, train_err, k_source), 0) << train_err.str();
    auto trained = nlohmann::json::parse(train_out.str());
    EXPECT_EQ(trained["corrections"]["training"], m_training.size());
    EXPECT_EQ(trained["corrections"]["held_out"], m_held_out.size());
    const fs::path candidate = m_dir / "model/classifier.candidate.bin";
    ASSERT_TRUE(fs::exists(candidate)) << train_out.str();
    EXPECT_EQ(trained["model"]["file"], candidate.string());
    EXPECT_EQ(read_file(m_dir / "model/classifier.bin"), shipped) << "training leaves the live model alone";

    EvalCommandOptions eval;
    eval.corrections = true;
    eval.config_file = m_config;
    std::ostringstream eval_out, eval_err;
    ASSERT_EQ(run_eval(eval, eval_out, eval_err, k_source), 0) << eval_err.str();
    auto scored = nlohmann::json::parse(eval_out.str());
    EXPECT_EQ(scored["corrections"]["held_out"], m_held_out.size());
    EXPECT_EQ(scored["current"]["n"], m_held_out.size());
    EXPECT_EQ(scored["candidate"]["n"], m_held_out.size());
    EXPECT_EQ(scored["candidate"]["model"], candidate.string());
    EXPECT_GT(scored["candidate"]["kind_accuracy"].get<double>(), scored["current"]["kind_accuracy"].get<double>())
        << scored.dump(2);
    EXPECT_EQ(scored["verdict"], "the candidate does better on the corrections held out");

    // What a running daemon holds: the runtime it loaded at start (or at its last SIGHUP).
    auto running = pipeline::load_runtime(m_config, k_source);
    ASSERT_TRUE(running.runtime) << running.problems.front();

    std::ostringstream promote_out, promote_err;
    ASSERT_EQ(run_model_promote(model_options, promote_out, promote_err, k_source), 0) << promote_err.str();
    // The daemon's SIGHUP loads the runtime again (daemon/app/daemon.cpp): that reload reads the
    // promoted model, so the same message is classified differently without a restart; until
    // then the running runtime keeps the model it had.
    auto reloaded = pipeline::load_runtime(m_config, k_source);
    ASSERT_TRUE(reloaded.runtime) << reloaded.problems.front();
    for (const auto& text : m_held_out) {
        auto newline = text.find('\n');
        std::string subject = text.substr(0, newline), body = text.substr(newline + 1);
        EXPECT_NE(running.runtime->classifier.classify_text(subject, body).kind, Kind::complaint) << text;
        EXPECT_EQ(reloaded.runtime->classifier.classify_text(subject, body).kind, Kind::complaint) << text;
    }
    EXPECT_FALSE(fs::exists(candidate));
    EXPECT_EQ(read_file(m_dir / "model/classifier.previous.bin"), shipped);
    EXPECT_NE(read_file(m_dir / "model/classifier.bin"), shipped);
    // `redress classify` with the daemon's config reads the promoted model.
    for (const auto& text : m_held_out)
        EXPECT_EQ(classify(text)["kind"], "complaint") << text;

    std::ostringstream back_out, back_err;
    ASSERT_EQ(run_model_rollback(model_options, back_out, back_err, k_source), 0) << back_err.str();
    EXPECT_EQ(read_file(m_dir / "model/classifier.bin"), shipped);
    EXPECT_TRUE(fs::exists(candidate)) << "the model rolled back can be promoted again";
    EXPECT_NE(classify(m_held_out.front())["kind"], "complaint");
}

TEST_F(CorrectionsCommands, WithoutCorrectionsTrainingAndScoringSayWhatIsMissing)
{
    correct_tickets(0);
    TrainCommandOptions train;
    train.data = {k_source / "tests/data/multilingual.csv"};
    train.folds = 0;
    train.with_corrections = true;
    train.config_file = m_config;
    std::ostringstream out, err;
    EXPECT_EQ(run_train(train, out, err, k_source), 1);
    EXPECT_NE(err.str().find("no corrections"), std::string::npos) << err.str();
    EXPECT_FALSE(fs::exists(m_dir / "model/classifier.candidate.bin"));

    EvalCommandOptions eval;
    eval.corrections = true;
    eval.config_file = m_config;
    std::ostringstream eval_out, eval_err;
    EXPECT_EQ(run_eval(eval, eval_out, eval_err, k_source), 1);
    EXPECT_NE(eval_err.str().find("held out"), std::string::npos) << eval_err.str();
}
