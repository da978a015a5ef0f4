#include "install_dir.hpp"

#include <cstdlib>

namespace redress::app {

std::filesystem::path install_dir()
{
    namespace fs = std::filesystem;
    if (const char* home = std::getenv("REDRESS_HOME"); home && *home)
        return home;
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path())
            if (fs::is_directory(dir / "templates", ec) && fs::is_directory(dir / "config", ec))
                return dir;
    }
    return REDRESS_SOURCE_DIR;
}

}  // namespace redress::app
