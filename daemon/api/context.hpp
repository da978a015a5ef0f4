#pragma once
// What the API's functions work on: the services, the store's reads, the clock and the refusal
// counters. The daemon builds one at start; the routes (daemon/app/api_routes.cpp) hand it to each
// function with the request.

#include "common/time_source.hpp"

#include <atomic>
#include <functional>
#include <string>

namespace redress::pipeline {
class Pipeline;
}
namespace redress::store {
class Store;
}
namespace redress::service {
class TicketService;
class PeopleService;
class OwnerSetup;
}  // namespace redress::service

namespace redress::api {

// Every 401, 403 and 429 the daemon answered, for /metrics: a climbing count of 401s is someone
// guessing tokens, of 403s a person trying what their role does not allow.
struct Refusals {
    std::atomic<long long> unauthorized{0};  // 401
    std::atomic<long long> forbidden{0};     // 403
    std::atomic<long long> limited{0};       // 429

    void count(int status)
    {
        if (status == 401)
            ++unauthorized;
        else if (status == 403)
            ++forbidden;
        else if (status == 429)
            ++limited;
    }
};

struct ApiContext {
    service::TicketService* tickets = nullptr;
    service::PeopleService* people = nullptr;
    service::OwnerSetup* setup = nullptr;  // the one-time link that makes the first owner (POST /setup)
    store::Store* store = nullptr;
    pipeline::Pipeline* pipeline = nullptr;  // its runtime's config (workflow, public URL)
    const TimeSource* time = &system_time();
    Refusals* refusals = nullptr;
    // Told after a step or an intake changed a ticket (from an HTTP thread): the daemon wakes the
    // outbox for the letter and replans the ticket's deadline alerts.
    std::function<void(const std::string& number)> changed;
};

}  // namespace redress::api
