// The subcommands of the gongkai command-line client. Each returns the process exit code:
// 0 success, 1 the input had problems (a refused document; an ERROR finding for `check`), 2 bad usage
// or an unreadable file.
#ifndef GONGKAI_TOOLS_GONGKAI_COMMANDS_H_
#define GONGKAI_TOOLS_GONGKAI_COMMANDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/v1/validator_service.pb.h"
#include "services/aggregator/exports.h"
#include "services/aggregator/summary.h"
#include "services/validator/validator.h"

namespace gongkai::cli {

// gongkai parse [--cells | --json] [--parser HOST:PORT] FILE...
int RunParse(int argc, char** argv);

// gongkai check [--json] [--rules F] [--previous F] [--year Y] FILE...
int RunCheck(int argc, char** argv);

// gongkai rules [--json] [--rules F]
int RunRules(int argc, char** argv);

// gongkai summarize [--regions F] [--level L] [--out DIR] [--rules F] [--include-errors] FILE...
int RunSummarize(int argc, char** argv);

// gongkai batch FILE... --gateway HOST:PORT [--out DIR] [--caller NAME] [--level L] [--regions F]
int RunBatch(int argc, char** argv);

// gongkai local FILE... [--out DIR] [...]: the four services in this process on loopback ports, then batch.
int RunLocal(int argc, char** argv);

// gongkai gen-corpus --reports N [--seed S] [--error-share F] [--formats …] --out DIR
int RunGenCorpus(int argc, char** argv);

// gongkai quality [--reports N] [--seed S] [--error-share F] [--formats …]
int RunQuality(int argc, char** argv);

// gongkai bench [--reports N] [--seed S] [--parser HOST:PORT --validator HOST:PORT]
int RunBench(int argc, char** argv);

// Writes the exports of a summary into `dir` and prints its top; false (after saying why) on failure.
bool WriteExportsAndPrint(const std::string& dir, const gongkai::v1::Summary& summary,
                          const std::vector<gongkai::aggregator::FindingRow>& rows, const std::string& reports_csv);

// A rule configuration file (protobuf text format); InvalidArgument names the file and the line.
absl::StatusOr<gongkai::v1::RuleConfig> LoadRuleConfig(const std::string& path);

// The validator with the rule configuration at `rules_path` (the --rules flag), or the defaults when empty.
absl::StatusOr<gongkai::validator::Validator> LoadValidator(const std::string& rules_path);

// The organs expected to report (the --regions CSV: name,region_code,level); none when `path` is empty.
// InvalidArgument names the file and the line.
absl::StatusOr<std::vector<gongkai::aggregator::ExpectedOrgan>> LoadExpectedOrgans(const std::string& path);

// Reads a whole file; NotFound / PermissionDenied name the file.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Expands directories (recursively, sorted) into the files they hold; files stay as given.
absl::StatusOr<std::vector<std::string>> ExpandInputs(const std::vector<std::string>& inputs);

}  // namespace gongkai::cli

#endif  // GONGKAI_TOOLS_GONGKAI_COMMANDS_H_
