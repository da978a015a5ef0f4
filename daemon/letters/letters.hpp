#pragma once
// The letters module: templates rendered with values, and letters composed as RFC 5322 messages.
// Everything here is pure except TemplateSet::load, which reads the template folder at start-up.

#include "body_encoding.hpp"
#include "email_composer.hpp"
#include "header_encoding.hpp"
#include "letter_template.hpp"
#include "letter_time.hpp"
#include "letter_words.hpp"
#include "placeholders.hpp"
#include "template_set.hpp"
#include "ticket_values.hpp"
