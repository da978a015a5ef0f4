#include "people_commands.hpp"

#include "pipeline/runtime.hpp"
#include "service/people.hpp"
#include "store/open_store.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace redress::app {

namespace {

struct PeopleOptions {
    std::optional<std::filesystem::path> config_file;
    std::optional<std::filesystem::path> data_dir;
    std::string name;
    std::string role = "agent";
    std::string email;
    std::string display_name;
    std::optional<std::string> new_email, new_display_name, signature, chat, new_role;
    bool password_stdin = false;
    std::string label;
    std::int64_t token_id = 0;
};

std::unique_ptr<store::Store> open(const PeopleOptions& options, const std::filesystem::path& install_dir,
                                   store::OpenMode mode)
{
    auto load = pipeline::load_runtime(options.config_file, install_dir, options.data_dir);
    if (!load.runtime) {
        for (auto& p : load.problems)
            std::cerr << "redress: " << p << "\n";
        return nullptr;
    }
    if (mode == store::OpenMode::create) {
        std::error_code ec;
        std::filesystem::create_directories(load.runtime->config.data_dir, ec);
    }
    auto store = store::open_store(load.runtime->config, mode);
    if (!store) {
        std::cerr << "redress: " << store.error().message << "\n";
        return nullptr;
    }
    return std::move(store).value();
}

int fail(const Error& error)
{
    std::cerr << "redress: " << error.message << "\n";
    return error.is(ErrorKind::transient) ? 2 : 1;
}

// The password from standard input (its first line), or asked for on a terminal without echo.
std::optional<std::string> read_password(bool from_stdin)
{
    std::string password;
    if (!from_stdin) {
        if (!::isatty(STDIN_FILENO)) {
            std::cerr << "redress: give the password on standard input with --password-stdin\n";
            return std::nullopt;
        }
        char* typed = ::getpass("Password: ");
        if (!typed)
            return std::nullopt;
        password = typed;
    } else if (!std::getline(std::cin, password) && password.empty()) {
        std::cerr << "redress: no password on standard input\n";
        return std::nullopt;
    }
    if (!password.empty() && password.back() == '\r')
        password.pop_back();
    return password;
}

int run_user_add(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto role = role_from_string(options.role);
    if (!role) {
        std::cerr << "redress: --role must be agent, manager or owner\n";
        return 2;
    }
    auto password = read_password(options.password_stdin);
    if (!password)
        return 2;
    auto store = open(options, install_dir, store::OpenMode::create);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    auto user = people.add_user(options.name, *role, *password, options.email, options.display_name);
    if (!user)
        return fail(user.error());
    std::cout << "added " << user->name << " (" << to_string(user->role) << ")\n";
    return 0;
}

// Whoever runs the command line on the data folder is trusted as its owner: a forgotten password is
// set again here without the old one (the person's sessions end).
int run_user_password(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto password = read_password(options.password_stdin);
    if (!password)
        return 2;
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    if (auto r = people.reset_password(options.name, *password); !r)
        return fail(r.error());
    std::cout << "password set for " << options.name << "\n";
    return 0;
}

int run_user_edit(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    service::ProfileChange change;
    change.display_name = options.new_display_name;
    change.signature = options.signature;
    change.email = options.new_email;
    change.chat = options.chat;
    if (options.new_role) {
        change.role = role_from_string(*options.new_role);
        if (!change.role) {
            std::cerr << "redress: --role must be agent, manager or owner\n";
            return 2;
        }
    }
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    auto user = people.update_profile(options.name, change);
    if (!user)
        return fail(user.error());
    std::cout << "changed " << user->name << " (" << to_string(user->role) << (user->email.empty() ? "" : ", ")
              << user->email << ")\n";
    return 0;
}

int run_user_list(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    auto users = people.list_users();
    if (!users)
        return fail(users.error());
    for (const auto& u : *users)
        std::cout << u.name << "\t" << to_string(u.role) << "\t" << u.email << (u.disabled ? "\tdisabled" : "") << "\n";
    return 0;
}

int run_user_disable(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    auto user = people.disable(options.name);
    if (!user)
        return fail(user.error());
    std::cout << "disabled " << user->name << ": sessions ended, tokens refused\n";
    return 0;
}

int run_token_create(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    auto issued = people.create_token(options.name, options.label);
    if (!issued)
        return fail(issued.error());
    // The secret alone on the last line, so that a script can take it with `tail -n 1`.
    std::cerr << "token " << issued->token.id << " for " << options.name
              << "; it is shown this once, keep it somewhere safe\n";
    std::cout << issued->secret << "\n";
    return 0;
}

int run_token_list(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    auto tokens = people.tokens_of(options.name);
    if (!tokens)
        return fail(tokens.error());
    for (const auto& t : *tokens)
        std::cout << t.id << "\t" << t.label << "\t" << format_iso8601_utc(t.created_at)
                  << (t.revoked_at ? "\trevoked" : "") << "\n";
    return 0;
}

int run_token_revoke(const PeopleOptions& options, const std::filesystem::path& install_dir)
{
    auto store = open(options, install_dir, store::OpenMode::existing);
    if (!store)
        return 2;
    service::PeopleService people(*store);
    if (auto r = people.revoke_token(options.token_id); !r)
        return fail(r.error());
    std::cout << "revoked token " << options.token_id << "\n";
    return 0;
}

}  // namespace

void register_people_commands(CLI::App& app, const std::filesystem::path& install_dir)
{
    auto options = std::make_shared<PeopleOptions>();
    auto common = [options](CLI::App* cmd) {
        cmd->add_option("--config", options->config_file, "JSON config file (default: the embedded default)");
        cmd->add_option("--data-dir", options->data_dir, "Data folder (overrides data_dir; default var)");
    };
    auto* user = app.add_subcommand("user", "People who work tickets: add, list, edit, password, disable");
    user->require_subcommand(1);
    auto* add = user->add_subcommand("add", "Add a person with a role and a password");
    common(add);
    add->add_option("name", options->name, "Login name: a-z, 0-9, '.', '_', '-'")->required();
    add->add_option("--role", options->role, "agent, manager or owner")
        ->check(CLI::IsMember({"agent", "manager", "owner"}));
    add->add_option("--email", options->email, "Where assignment notices go");
    add->add_option("--display-name", options->display_name, "The name customers see");
    add->add_flag("--password-stdin", options->password_stdin, "Read the password from standard input");
    add->callback([options, install_dir] { std::exit(run_user_add(*options, install_dir)); });
    auto* list = user->add_subcommand("list", "Everyone, with role and address");
    common(list);
    list->callback([options, install_dir] { std::exit(run_user_list(*options, install_dir)); });
    auto* disable = user->add_subcommand("disable", "Disable a person: sessions end, tokens stop working");
    common(disable);
    disable->add_option("name", options->name, "Login name")->required();
    disable->callback([options, install_dir] { std::exit(run_user_disable(*options, install_dir)); });

    auto* password =
        user->add_subcommand("password", "Set a person's password (a forgotten one, say): their sessions end");
    common(password);
    password->add_option("name", options->name, "Login name")->required();
    password->add_flag("--password-stdin", options->password_stdin, "Read the password from standard input");
    password->callback([options, install_dir] { std::exit(run_user_password(*options, install_dir)); });

    auto* edit = user->add_subcommand("edit", "Change a person's display name, signature, addresses or role");
    common(edit);
    edit->add_option("name", options->name, "Login name")->required();
    edit->add_option("--display-name", options->new_display_name, "The name customers see ({{agent.name}})");
    edit->add_option("--signature", options->signature, "The signature of their replies ({{agent.signature}})");
    edit->add_option("--email", options->new_email, "Where assignment notices and reminders go");
    edit->add_option("--chat", options->chat, "A chat address for the same notices, such as tg:123456");
    edit->add_option("--role", options->new_role, "agent, manager or owner");
    edit->callback([options, install_dir] { std::exit(run_user_edit(*options, install_dir)); });

    auto* token = app.add_subcommand("token", "API tokens: create (shown once), list, revoke");
    token->require_subcommand(1);
    auto* create = token->add_subcommand("create", "A new API token for a person, printed alone on the last line");
    common(create);
    create->add_option("--user", options->name, "Whose token")->required();
    create->add_option("--label", options->label, "What it is for (\"ci\", \"laptop\")");
    create->callback([options, install_dir] { std::exit(run_token_create(*options, install_dir)); });
    auto* tokens = token->add_subcommand("list", "A person's tokens (never their secrets)");
    common(tokens);
    tokens->add_option("--user", options->name, "Whose tokens")->required();
    tokens->callback([options, install_dir] { std::exit(run_token_list(*options, install_dir)); });
    auto* revoke = token->add_subcommand("revoke", "Revoke a token by its id");
    common(revoke);
    revoke->add_option("id", options->token_id, "The token's id (token list)")->required();
    revoke->callback([options, install_dir] { std::exit(run_token_revoke(*options, install_dir)); });
}

}  // namespace redress::app
