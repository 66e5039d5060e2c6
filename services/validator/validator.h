// The validator library: an AnnualReport (or a batch) in, findings out. No gRPC in here.
#ifndef GONGKAI_SERVICES_VALIDATOR_VALIDATOR_H_
#define GONGKAI_SERVICES_VALIDATOR_VALIDATOR_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/finding.pb.h"
#include "gongkai/v1/report.pb.h"
#include "gongkai/v1/validator_service.pb.h"
#include "services/validator/registry.h"

namespace gongkai::validator {

// Parses a rule configuration in protobuf text format, e.g.
//   name: "zhejiang-2025"
//   overrides { rule_id: "section5.substance" disabled: true }
//   overrides { rule_id: "t2.fee_unit" severity: SEVERITY_ERROR }
// InvalidArgument names the line of a syntax error.
absl::StatusOr<gongkai::v1::RuleConfig> ParseRuleConfig(absl::string_view text);

// A rule set: the registry's rules with a configuration applied. Immutable and thread-safe once created.
class Validator {
 public:
  // InvalidArgument when the configuration names a rule id the registry does not have.
  static absl::StatusOr<Validator> Create(const gongkai::v1::RuleConfig& config = {},
                                          const RuleRegistry& registry = DefaultRegistry());

  // Findings of one report; `previous` is last year's report of the same organ, or null.
  // Ordered by rule (registry order), then as each rule reports them.
  std::vector<gongkai::v1::Finding> Validate(const gongkai::v1::AnnualReport& report,
                                             const gongkai::v1::AnnualReport* previous = nullptr) const;

  // Findings of each report of a batch, in order. `previous[i]` may be null (or `previous` empty); then
  // last year's report is looked for in the batch (same agency, report year one less). Batch rules
  // (batch.copied) see every report. With `narrative_signatures`, each report's NarrativeSignature
  // (similarity.h) too, from the narrative hashes batch.copied works out anyway.
  std::vector<std::vector<gongkai::v1::Finding>> ValidateBatch(
      const std::vector<const gongkai::v1::AnnualReport*>& reports,
      const std::vector<const gongkai::v1::AnnualReport*>& previous = {},
      std::vector<std::string>* narrative_signatures = nullptr) const;

  // The rules that run, with their configured severity.
  struct ActiveRule {
    const Rule* rule;
    gongkai::v1::Severity severity;
  };
  const std::vector<ActiveRule>& rules() const { return active_; }

 private:
  // Validate, with the report's narrative hashes when a batch has worked them out (or null).
  std::vector<gongkai::v1::Finding> ValidateOne(const gongkai::v1::AnnualReport& report,
                                                const gongkai::v1::AnnualReport* previous,
                                                const std::vector<uint64_t>* narrative_hashes) const;

  std::vector<ActiveRule> active_;
};

// "ERROR", "WARNING", "INFO".
absl::string_view SeverityName(gongkai::v1::Severity severity);

}  // namespace gongkai::validator

#endif  // GONGKAI_SERVICES_VALIDATOR_VALIDATOR_H_
