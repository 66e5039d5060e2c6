// The canonical cell keys of shared/spec/FORMAT.md §2, per template version, in FORMAT order.
#ifndef GONGKAI_COMMON_SCHEMA_H_
#define GONGKAI_COMMON_SCHEMA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/finding.pb.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

enum class TableId { kT2, kT3, kT4 };

// One row of a table: its key prefix ("t3.granted"), its label as printed in the template, and its columns.
struct RowSpec {
  std::string key;
  std::string label;
  std::vector<std::string> columns;  // key suffixes, in printed order
};

// Rows of a table for a version (v2021 or v2019; other versions get v2021's shape).
const std::vector<RowSpec>& TableRows(TableId table, gongkai::v1::TemplateVersion version);

// All cell keys of a version in FORMAT order: 200 for v2021, 198 for v2019.
const std::vector<std::string>& AllCellKeys(gongkai::v1::TemplateVersion version);

// The seven table 三 columns in order, and the six applicant columns whose sum is `total`.
const std::vector<std::string>& Table3Columns();

// The table 四 groups and results in order.
const std::vector<std::string>& Table4Groups();
const std::vector<std::string>& Table4Results();

// Table 三's result rows (those that add up to "total") for a version: 21 in v2021, 19 in v2019.
const std::vector<std::string>& Table3ResultRows(gongkai::v1::TemplateVersion version);

// True for cells whose value is a decimal amount (the fee, the procurement amount), false for counts.
bool IsDecimalCell(absl::string_view key);

// True for v2019's signed "本年增/减" cells, which may be negative.
bool IsSignedCell(absl::string_view key);

// "v2021", "v2019", "pre2019" or "unknown".
absl::string_view VersionName(gongkai::v1::TemplateVersion version);

// Parses a VersionName(); unknown text gives TEMPLATE_VERSION_UNKNOWN.
gongkai::v1::TemplateVersion VersionFromName(absl::string_view name);

// Creates the three tables of `version` on `report` with every cell present in FORMAT order and MISSING.
void InitTables(gongkai::v1::TemplateVersion version, gongkai::v1::AnnualReport* report);

// Finds a cell by key in the report's tables; nullptr when the key is not part of its version.
const gongkai::v1::Cell* FindCell(const gongkai::v1::AnnualReport& report, absl::string_view key);
gongkai::v1::Cell* FindMutableCell(gongkai::v1::AnnualReport* report, absl::string_view key);

// Drops what tells where things came from, keeping what they are: each cell's raw text and source
// position, the report's parse notes, subtotals and positions, and of each finding everything but its rule,
// severity and outcome. For callers that add reports up (the gateway's stream to the aggregator): values,
// identity, metadata, section texts and tables stay as they were.
void DropProvenance(gongkai::v1::AnnualReport* report, google::protobuf::RepeatedPtrField<gongkai::v1::Finding>* findings);

// DropProvenance's part for findings: each keeps its rule, severity and outcome only.
void DropFindingProvenance(google::protobuf::RepeatedPtrField<gongkai::v1::Finding>* findings);

// DropProvenance's report, from and to a serialised AnnualReport, without parsing it into messages: the
// wire fields that stay are copied and the others skipped, a fraction of the cost of a parse (the gateway
// passes reports on serialised). InvalidArgument when `serialized` is not a well-formed encoding.
absl::StatusOr<std::string> DropProvenanceFromBytes(absl::string_view serialized);

// Who filed a report and for which year, read from a serialised AnnualReport without parsing it (its other
// fields are skipped over; a field written twice counts by its last value, as in a parse). InvalidArgument
// when the bytes are not a well-formed encoding.
struct ReportIdentity {
  std::string agency;   // empty when no title named it
  int report_year = 0;  // 0 when unknown
};
absl::StatusOr<ReportIdentity> ReportIdentityFromBytes(absl::string_view serialized);

// A cell's value as text: "12", "4068.208", or "null" when it is missing or a placeholder.
std::string CellValueText(const gongkai::v1::Cell& cell);

// A decimal as text: units 4068208, scale 3 → "4068.208".
std::string DecimalText(const gongkai::v1::Decimal& d);

// The table a key belongs to, from its prefix ("t2.", "t3.", "t4.").
TableId TableOfKey(absl::string_view key);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SCHEMA_H_
