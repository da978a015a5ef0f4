#pragma once
// Where the shipped files are (templates/, config/rules, config/model): $REDRESS_HOME if set, else
// the folder above the binary when it has templates/ (build/redress in a checkout), else the source
// tree this binary was built from.

#include <filesystem>

namespace redress::app {

std::filesystem::path install_dir();

}  // namespace redress::app
