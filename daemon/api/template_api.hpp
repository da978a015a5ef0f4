#pragma once
// Letter templates through the API (read by everyone, written and restored by managers), and the
// workflow's settings a manager's page needs (resolution codes with labels, departments).

#include "context.hpp"
#include "http/request.hpp"

namespace redress::api {

// GET /api/v1/templates: every template with the version in use (0: the shipped file).
http::Response list_templates(const ApiContext& context, const http::Request& request);
// GET /api/v1/templates/{lang}/{name}: the text in use and its version.
http::Response show_template(const ApiContext& context, const http::Request& request);
// PUT /api/v1/templates/{lang}/{name} {"text"}: checked as `redress check` checks files; 422 names the line.
http::Response save_template(const ApiContext& context, const http::Request& request);
// GET /api/v1/templates/{lang}/{name}/versions
http::Response template_versions(const ApiContext& context, const http::Request& request);
// POST /api/v1/templates/{lang}/{name}/restore {"version": N}
http::Response restore_template(const ApiContext& context, const http::Request& request);
// POST /api/v1/templates/preview {"language","name","text","ticket"}
http::Response preview_template(const ApiContext& context, const http::Request& request);
// GET /api/v1/config/workflow
http::Response workflow_config(const ApiContext& context, const http::Request& request);

}  // namespace redress::api
