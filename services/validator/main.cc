// gongkai-validator: the validator service binary.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/flags/flag.h"
#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "services/validator/validator_service.h"

ABSL_FLAG(std::string, rules, "", "a rule configuration (protobuf text format) applied to requests without one");

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "validator", gongkai::kValidatorPort);
  gongkai::validator::ValidatorServiceOptions service_options;
  std::string rules_path = absl::GetFlag(FLAGS_rules);
  if (!rules_path.empty()) {
    std::ifstream in(rules_path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) {
      gongkai::Log(gongkai::LogSeverity::kError, "cannot read the rule configuration", {{"file", rules_path}});
      return 2;
    }
    auto config = gongkai::validator::ParseRuleConfig(text.str());
    if (!config.ok()) {
      gongkai::Log(gongkai::LogSeverity::kError, "bad rule configuration",
                   {{"file", rules_path}, {"error", std::string(config.status().message())}});
      return 2;
    }
    service_options.default_rules = *config;
  }
  auto service = gongkai::validator::ValidatorServiceImpl::Create(service_options);
  if (!service.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "bad rule configuration", {{"error", std::string(service.status().message())}});
    return 2;
  }
  absl::Status status = gongkai::RunServerUntilSignal(
      options, {{service->get(), gongkai::v1::ValidatorService::service_full_name()}});
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
