#pragma once
// Expected failures travel as values (house style): a Result<T> holds either a T or an Error.
// Exceptions are kept for programming errors and for start-up (a bad config).

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace redress {

// What kind of failure an error is: callers decide by the kind, never by matching the code or
// the message. The code stays for logs and people ("store.busy", "imap.auth").
enum class ErrorKind {
    failed,      // nothing more specific to say
    invalid,     // the input is wrong and will stay wrong (bad MIME, bad JSON, a refused step)
    transient,   // try again later: a busy database, a full disk, a server down or slow
    constraint,  // the store refused the change for good (a unique or foreign key)
    not_found,   // no such ticket, letter, template, file
    conflict,    // someone else changed it first (a stale version, a claim held by another)
    refused,     // the other side said no for good (login refused, no permission)
    timeout,     // no answer in time
    stopped,     // the daemon is stopping
    limited,     // too many tries: wait (retry_after) before the next one (failed sign-ins)
};

std::string_view to_string(ErrorKind kind);

struct Error {
    std::string code;     // short, stable, machine-readable: "mime.unterminated", "store.busy"
    std::string message;  // a sentence for people: what went wrong and, where known, the fix
    ErrorKind kind = ErrorKind::failed;
    long retry_after_seconds = 0;  // limited, transient: when to try again, where known (0: unknown)

    bool is(ErrorKind k) const { return kind == k; }
};

inline Error make_error(std::string code, std::string message)
{
    return Error{std::move(code), std::move(message), ErrorKind::failed, 0};
}

inline Error make_error(ErrorKind kind, std::string code, std::string message)
{
    return Error{std::move(code), std::move(message), kind, 0};
}

template <class T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_value(std::in_place_index<0>, std::move(value))
    {
    }
    Result(Error error)
        : m_value(std::in_place_index<1>, std::move(error))
    {
    }

    bool ok() const { return m_value.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() &
    {
        assert(ok());
        return std::get<0>(m_value);
    }
    const T& value() const&
    {
        assert(ok());
        return std::get<0>(m_value);
    }
    T&& value() &&
    {
        assert(ok());
        return std::get<0>(std::move(m_value));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const
    {
        assert(!ok());
        return std::get<1>(m_value);
    }

private:
    std::variant<T, Error> m_value;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_failed(true)
    {
    }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    void value() const { assert(ok()); }  // so that TRY works on Result<void> too
    const Error& error() const
    {
        assert(m_failed);
        return m_error;
    }

private:
    Error m_error;
    bool m_failed = false;
};

}  // namespace redress

// TRY(expr): the value of a Result, or return its error from the enclosing function (which returns
// a Result of any type). Instead of `auto x = f(); if (!x) return x.error();` on every line:
//     Ticket t = TRY(tx.ticket_by_id(id));
//     TRY(tx.commit());
// A GCC/Clang statement expression; __extension__ keeps -Wpedantic quiet about it.
#define TRY(...)                                                                                                       \
    __extension__({                                                                                                    \
        auto&& redress_try_result_ = (__VA_ARGS__);                                                                    \
        if (!redress_try_result_)                                                                                      \
            return redress_try_result_.error();                                                                        \
        std::move(redress_try_result_).value();                                                                        \
    })
