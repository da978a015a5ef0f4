#include "common/result.hpp"

#include <gtest/gtest.h>

#include <string>

namespace redress {
namespace {

Result<int> parse_digit(char c)
{
    if (c < '0' || c > '9')
        return make_error(ErrorKind::invalid, "test.not_a_digit", std::string("not a digit: ") + c);
    return c - '0';
}

Result<void> require_even(int n)
{
    if (n % 2 != 0)
        return make_error(ErrorKind::conflict, "test.odd", "odd");
    return {};
}

// Uses TRY on a value and on a Result<void>; each stops at the first error.
Result<int> sum_of_even_digits(const std::string& text)
{
    int sum = 0;
    for (char c : text) {
        int d = TRY(parse_digit(c));
        TRY(require_even(d));
        sum += d;
    }
    return sum;
}

TEST(Result, TryPassesValuesThrough)
{
    auto r = sum_of_even_digits("2468");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, 20);
}

TEST(Result, TryReturnsTheFirstErrorWithItsKind)
{
    auto bad = sum_of_even_digits("24x");
    ASSERT_FALSE(bad);
    EXPECT_TRUE(bad.error().is(ErrorKind::invalid));
    EXPECT_EQ(bad.error().code, "test.not_a_digit");

    auto odd = sum_of_even_digits("243");
    ASSERT_FALSE(odd);
    EXPECT_EQ(odd.error().kind, ErrorKind::conflict);
}

TEST(Result, ErrorsWithoutAKindAreGenericFailures)
{
    Error e = make_error("x.y", "something");
    EXPECT_EQ(e.kind, ErrorKind::failed);
    EXPECT_EQ(to_string(ErrorKind::transient), "transient");
}

}  // namespace
}  // namespace redress
