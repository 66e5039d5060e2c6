// The configuration files the subcommands take: a rule configuration (--rules) and the organs expected to
// report (--regions).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/aggregator/summary.h"
#include "services/validator/validator.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {

absl::StatusOr<v1::RuleConfig> LoadRuleConfig(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  absl::StatusOr<v1::RuleConfig> parsed = validator::ParseRuleConfig(*text);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", parsed.status().message()));
  return parsed;
}

absl::StatusOr<validator::Validator> LoadValidator(const std::string& rules_path) {
  v1::RuleConfig config;
  if (!rules_path.empty()) {
    absl::StatusOr<v1::RuleConfig> loaded = LoadRuleConfig(rules_path);
    if (!loaded.ok()) return loaded.status();
    config = *std::move(loaded);
  }
  return validator::Validator::Create(config);
}

absl::StatusOr<std::vector<aggregator::ExpectedOrgan>> LoadExpectedOrgans(const std::string& path) {
  if (path.empty()) return std::vector<aggregator::ExpectedOrgan>();
  absl::StatusOr<std::string> csv = ReadFile(path);
  if (!csv.ok()) return csv.status();
  absl::StatusOr<std::vector<aggregator::ExpectedOrgan>> parsed = aggregator::ParseExpectedOrgans(*csv);
  if (!parsed.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", parsed.status().message()));
  return parsed;
}

}  // namespace gongkai::cli
