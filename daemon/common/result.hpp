#pragma once
// Expected failures travel as values (house style): a Result<T> holds either a T or an Error.
// Exceptions are kept for programming errors and for start-up (a bad config).

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace redress {

struct Error {
    std::string code;     // short, stable, machine-readable: "mime.unterminated", "store.busy"
    std::string message;  // a sentence for people: what went wrong and, where known, the fix
};

inline Error make_error(std::string code, std::string message)
{
    return Error{std::move(code), std::move(message)};
}

template<class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::in_place_index<0>, std::move(value)) { }
    Result(Error error) : m_value(std::in_place_index<1>, std::move(error)) { }

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

template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) { }

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
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
