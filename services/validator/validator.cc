#include "services/validator/validator.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "services/validator/similarity.h"

namespace gongkai::validator {
namespace {

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) first = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
  }
  std::string first;
};

}  // namespace

absl::string_view SeverityName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_ERROR:
      return "ERROR";
    case v1::SEVERITY_WARNING:
      return "WARNING";
    case v1::SEVERITY_INFO:
      return "INFO";
    default:
      return "UNSPECIFIED";
  }
}

absl::StatusOr<v1::RuleConfig> ParseRuleConfig(absl::string_view text) {
  v1::RuleConfig config;
  google::protobuf::TextFormat::Parser parser;
  CollectErrors errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &config)) {
    return absl::InvalidArgumentError(absl::StrCat("the rule configuration is not valid text format: ", errors.first));
  }
  return config;
}

absl::StatusOr<Validator> Validator::Create(const v1::RuleConfig& config, const RuleRegistry& registry) {
  std::map<std::string, const v1::RuleConfig::Override*> overrides;
  for (const auto& o : config.overrides()) {
    if (registry.Find(o.rule_id()) == nullptr) {
      std::vector<std::string> ids;
      for (const Rule& r : registry.rules()) ids.push_back(r.id);
      return absl::InvalidArgumentError(absl::StrCat("the rule configuration names an unknown rule \"", o.rule_id(),
                                                     "\"; the rules are: ", absl::StrJoin(ids, ", ")));
    }
    overrides[o.rule_id()] = &o;
  }
  Validator v;
  for (const Rule& rule : registry.rules()) {
    v1::Severity severity = rule.default_severity;
    auto it = overrides.find(rule.id);
    if (it != overrides.end()) {
      if (it->second->disabled()) continue;
      if (it->second->severity() != v1::SEVERITY_UNSPECIFIED) severity = it->second->severity();
    }
    v.active_.push_back({&rule, severity});
  }
  return v;
}

std::vector<v1::Finding> Validator::Validate(const v1::AnnualReport& report, const v1::AnnualReport* previous) const {
  return ValidateOne(report, previous, nullptr);
}

std::vector<v1::Finding> Validator::ValidateOne(const v1::AnnualReport& report, const v1::AnnualReport* previous,
                                                const std::vector<uint64_t>* narrative_hashes) const {
  std::vector<v1::Finding> findings;
  RuleContext ctx{report, previous, narrative_hashes};
  for (const ActiveRule& active : active_) {
    if (!active.rule->check) continue;
    FindingSink sink(active.rule->id, active.severity, &findings);
    active.rule->check(ctx, sink);
  }
  return findings;
}

std::vector<std::vector<v1::Finding>> Validator::ValidateBatch(const std::vector<const v1::AnnualReport*>& reports,
                                                               const std::vector<const v1::AnnualReport*>& previous,
                                                               std::vector<std::string>* narrative_signatures) const {
  // Last year's report of the same organ, from the batch where not given.
  std::map<std::pair<std::string, int>, const v1::AnnualReport*> by_agency_year;
  for (const v1::AnnualReport* r : reports) {
    if (!r->agency().empty() && r->report_year() > 0) by_agency_year.emplace(std::pair{r->agency(), r->report_year()}, r);
  }
  std::vector<const v1::AnnualReport*> prev(reports.size(), nullptr);
  bool any_previous = false;
  for (size_t i = 0; i < reports.size(); ++i) {
    prev[i] = i < previous.size() ? previous[i] : nullptr;
    if (prev[i] == nullptr && !reports[i]->agency().empty() && reports[i]->report_year() > 0) {
      auto it = by_agency_year.find({reports[i]->agency(), reports[i]->report_year() - 1});
      if (it != by_agency_year.end()) prev[i] = it->second;
    }
    any_previous = any_previous || prev[i] != nullptr;
  }
  // The narratives' hashes, once for the batch rules, the signatures and the comparison with last year's.
  bool batch_rules = false;
  for (const ActiveRule& active : active_) batch_rules = batch_rules || static_cast<bool>(active.rule->batch_check);
  bool hashed = batch_rules || narrative_signatures != nullptr || any_previous;
  std::vector<std::vector<uint64_t>> hashes(reports.size());
  if (hashed) {
    for (size_t i = 0; i < reports.size(); ++i) hashes[i] = NarrativeHashes(*reports[i]);
  }
  std::vector<std::vector<v1::Finding>> out(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) out[i] = ValidateOne(*reports[i], prev[i], hashed ? &hashes[i] : nullptr);
  if (narrative_signatures != nullptr) {
    narrative_signatures->clear();
    for (size_t i = 0; i < reports.size(); ++i) {
      narrative_signatures->push_back(NarrativeSignatureOf(hashes[i], reports[i]->agency()));
    }
  }
  BatchContext batch{reports, hashes};
  for (const ActiveRule& active : active_) {
    if (!active.rule->batch_check) continue;
    std::vector<FindingSink> sinks;
    sinks.reserve(reports.size());
    for (size_t i = 0; i < reports.size(); ++i) sinks.emplace_back(active.rule->id, active.severity, &out[i]);
    active.rule->batch_check(batch, sinks);
  }
  return out;
}

}  // namespace gongkai::validator
