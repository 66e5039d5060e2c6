// A validation rule: a stable id from shared/spec/FORMAT.md §4, a default severity, a description, and a
// check that reads an AnnualReport (never a layout) and reports findings. Rules never throw, keep no
// state, and do not depend on the order they run in.
#ifndef GONGKAI_SERVICES_VALIDATOR_RULE_H_
#define GONGKAI_SERVICES_VALIDATOR_RULE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gongkai/v1/finding.pb.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::validator {

// What one rule sees of one report.
struct RuleContext {
  const gongkai::v1::AnnualReport& report;
  const gongkai::v1::AnnualReport* previous = nullptr;  // last year's report of the same organ, when known
  // The report's NarrativeHashes (similarity.h) when a batch has already worked them out; null otherwise.
  const std::vector<uint64_t>* narrative_hashes = nullptr;
};

// Collects one rule's findings on one report; fills in the rule id and severity.
class FindingSink {
 public:
  FindingSink(absl::string_view rule_id, gongkai::v1::Severity severity, std::vector<gongkai::v1::Finding>* out)
      : rule_id_(rule_id), severity_(severity), out_(out) {}

  // A broken rule: the report fails the check.
  gongkai::v1::Finding& Fail(std::string message, std::string message_en);
  // An operand was missing: the check could not run. Never a pass; reported at INFO severity so that
  // it does not count as an error twice (the missing cell has its own finding).
  gongkai::v1::Finding& Unverifiable(std::string message, std::string message_en);

 private:
  gongkai::v1::Finding& Add(gongkai::v1::Outcome outcome, gongkai::v1::Severity severity, std::string message,
                            std::string message_en);
  std::string rule_id_;
  gongkai::v1::Severity severity_;
  std::vector<gongkai::v1::Finding>* out_;
};

// A rule over one report.
using CheckFn = std::function<void(const RuleContext&, FindingSink&)>;

// What a rule over a whole batch sees: the reports and, worked out once per batch for the batch rules and
// the caller's narrative signatures, each report's narrative shingle hashes (ShingleHashes of NarrativeOf,
// similarity.h; empty when the narrative is too short to compare). A rule may reorder a report's hashes.
struct BatchContext {
  const std::vector<const gongkai::v1::AnnualReport*>& reports;
  std::vector<std::vector<uint64_t>>& narrative_hashes;
};

// A rule over a whole batch: fills `sinks[i]` with the findings of report i.
using BatchCheckFn = std::function<void(const BatchContext& batch, std::vector<FindingSink>& sinks)>;

struct Rule {
  std::string id;
  gongkai::v1::Severity default_severity = gongkai::v1::SEVERITY_WARNING;
  std::string description;     // Chinese, one line
  std::string description_en;  // English, one line
  CheckFn check;               // set for per-report rules
  BatchCheckFn batch_check;    // set for batch rules
};

// ---- Helpers shared by the rule files ----------------------------------------------------------------

// The largest magnitude a count may have (10^15): larger values are not counts of anything, and sums of
// the ~200 cells of a report stay far inside int64.
inline constexpr int64_t kMaxCount = 1'000'000'000'000'000;

// The cell's integer value when it is present, a whole number and within ±kMaxCount; nullopt otherwise.
std::optional<int64_t> IntValue(const gongkai::v1::AnnualReport& report, absl::string_view key);

// Adds a cell to a finding: its key, its value ("null" when missing) and its source position (when known).
void AddCell(gongkai::v1::Finding* finding, const gongkai::v1::AnnualReport& report, absl::string_view key);

// The Chinese name of a table 三 column ("自然人"), of a table 三 row ("（一）予以公开"), of a table 四 group.
std::string ColumnName(absl::string_view column);
std::string RowName(absl::string_view row_key);
std::string GroupName(absl::string_view group);

}  // namespace gongkai::validator

#endif  // GONGKAI_SERVICES_VALIDATOR_RULE_H_
