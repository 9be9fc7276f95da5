#include "io/cli/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "engine/json_escape.h"

namespace credsweep::io::cli {
namespace {

constexpr const char* kTime = "%Y-%m-%dT%H:%M:%S.%eZ";

// %* : the message as a JSON string literal (quotes included).
class JsonMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::string text;
    AppendJsonString(std::string_view(msg.payload.data(), msg.payload.size()), &text);
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessage>(); }
};

}  // namespace

bool ConfigureLogging(const std::string& format) {
  if (format != "text" && format != "json") return false;
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (format == "json") {
    formatter->add_flag<JsonMessage>('*').set_pattern(std::string(R"({"time":")") + kTime +
                                                      R"(","level":"%l","message":%*})");
  } else {
    formatter->set_pattern(std::string(kTime) + " credsweep: %^%l%$: %v");
  }
  spdlog::sink_ptr sink;
  if (format == "json") {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  }
  auto logger = std::make_shared<spdlog::logger>("credsweep", std::move(sink));
  logger->set_formatter(std::move(formatter));
  spdlog::set_default_logger(std::move(logger));
  return true;
}

}  // namespace credsweep::io::cli
