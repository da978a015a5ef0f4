#pragma once
// Reads a fixture from tests/fixtures/mime; fails the test when it is missing.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace redress::mime::test {

inline std::string read_fixture(const std::string& name)
{
    std::ifstream in(std::string(REDRESS_FIXTURES_DIR) + "/mime/" + name, std::ios::binary);
    if (!in)
        throw std::runtime_error("missing fixture " + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace redress::mime::test
