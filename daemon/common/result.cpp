#include "result.hpp"

namespace redress {

std::string_view to_string(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::failed:
        return "failed";
    case ErrorKind::invalid:
        return "invalid";
    case ErrorKind::transient:
        return "transient";
    case ErrorKind::constraint:
        return "constraint";
    case ErrorKind::not_found:
        return "not_found";
    case ErrorKind::conflict:
        return "conflict";
    case ErrorKind::refused:
        return "refused";
    case ErrorKind::timeout:
        return "timeout";
    case ErrorKind::stopped:
        return "stopped";
    case ErrorKind::limited:
        return "limited";
    }
    return "failed";
}

}  // namespace redress
