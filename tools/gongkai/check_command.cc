// gongkai check: parse and validate reports, print findings grouped by report with their location.
// gongkai rules: list every rule with its severity and description.
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/json.h"
#include "common/schema.h"
#include "services/parser/parser.h"
#include "services/validator/validator.h"
#include "tools/gongkai/args.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

constexpr char kUsage[] =
    "usage: gongkai check [--json] [--rules RULES.textproto] [--previous LAST_YEAR_FILE] [--year YYYY] FILE_OR_DIR...\n"
    "  --json        one JSON object per report: {file, agency, year, version, findings:[…]}\n"
    "  --rules F     a rule configuration (protobuf text format) switching rules off or changing severity\n"
    "  --previous F  last year's report of the same organ (with a single FILE)\n"
    "  --year YYYY   the report year asked for (year.consistent checks it)\n"
    "Reports in one call are checked as a batch: batch.copied compares them, and a report finds last year's\n"
    "report of the same organ among them. Exit: 0 no ERROR, 1 an ERROR finding, 2 bad usage or unreadable file.\n";

std::string PositionText(const v1::SourcePosition& p) {
  std::string out;
  if (p.page() > 0) absl::StrAppend(&out, "p", p.page(), ":");
  absl::StrAppend(&out, p.line());
  if (p.column() > 0) absl::StrAppend(&out, ":", p.column() + 1);
  return out;
}

std::string FindingJson(const v1::Finding& f) {
  std::string out = "{\"rule\":";
  AppendJsonString(f.rule_id(), &out);
  absl::StrAppend(&out, ",\"severity\":");
  AppendJsonString(validator::SeverityName(f.severity()), &out);
  absl::StrAppend(&out, ",\"outcome\":");
  AppendJsonString(f.outcome() == v1::OUTCOME_UNVERIFIABLE ? "UNVERIFIABLE" : "FAILED", &out);
  absl::StrAppend(&out, ",\"cells\":[");
  for (int i = 0; i < f.cells_size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(f.cells(i), &out);
  }
  absl::StrAppend(&out, "],\"values\":[");
  for (int i = 0; i < f.values_size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(f.values(i), &out);
  }
  absl::StrAppend(&out, "],\"expected\":");
  AppendJsonString(f.expected(), &out);
  absl::StrAppend(&out, ",\"message\":");
  AppendJsonString(f.message(), &out);
  absl::StrAppend(&out, ",\"message_en\":");
  AppendJsonString(f.message_en(), &out);
  absl::StrAppend(&out, ",\"positions\":[");
  for (int i = 0; i < f.positions_size(); ++i) {
    const v1::SourcePosition& p = f.positions(i);
    absl::StrAppend(&out, i ? "," : "", "{\"line\":", p.line(), ",\"column\":", p.column(),
                    ",\"byte_offset\":", p.byte_offset());
    if (p.page() > 0) absl::StrAppend(&out, ",\"page\":", p.page());
    if (p.table() > 0) absl::StrAppend(&out, ",\"table\":", p.table(), ",\"row\":", p.row(), ",\"cell\":", p.cell());
    out.push_back('}');
  }
  out.append("]}");
  return out;
}

struct Checked {
  std::string file;
  v1::AnnualReport report;
};

}  // namespace

int RunRules(int argc, char** argv) {
  ArgSpec spec{{"json", "help"}, {"rules"}};
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, spec);
  if (!args.ok() || args->Has("help")) {
    std::fputs("usage: gongkai rules [--json] [--rules RULES.textproto]\n", stderr);
    return args.ok() ? 0 : 2;
  }
  absl::StatusOr<validator::Validator> v = LoadValidator(args->Value("rules"));
  if (!v.ok()) {
    std::fprintf(stderr, "gongkai rules: %s\n", std::string(v.status().message()).c_str());
    return 2;
  }
  for (const auto& active : v->rules()) {
    if (args->Has("json")) {
      std::string line = "{\"rule\":" + JsonString(active.rule->id) +
                         ",\"severity\":" + JsonString(validator::SeverityName(active.severity)) +
                         ",\"description\":" + JsonString(active.rule->description) +
                         ",\"description_en\":" + JsonString(active.rule->description_en) + "}\n";
      std::fputs(line.c_str(), stdout);
    } else {
      std::printf("%-22s %-8s %s\n%-31s %s\n", active.rule->id.c_str(),
                  std::string(validator::SeverityName(active.severity)).c_str(), active.rule->description.c_str(), "",
                  active.rule->description_en.c_str());
    }
  }
  return 0;
}

int RunCheck(int argc, char** argv) {
  ArgSpec spec{{"json", "help"}, {"rules", "previous", "year"}};
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, spec);
  if (!args.ok() || args->Has("help") || args->positional.empty()) {
    if (!args.ok()) std::fprintf(stderr, "gongkai check: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kUsage, stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  absl::StatusOr<validator::Validator> validator = LoadValidator(args->Value("rules"));
  if (!validator.ok()) {
    std::fprintf(stderr, "gongkai check: %s\n", std::string(validator.status().message()).c_str());
    return 2;
  }
  int expected_year = 0;
  if (!args->Value("year").empty()) expected_year = std::atoi(args->Value("year").c_str());
  absl::StatusOr<std::vector<std::string>> files = ExpandInputs(args->positional);
  if (!files.ok()) {
    std::fprintf(stderr, "gongkai check: %s\n", std::string(files.status().message()).c_str());
    return 2;
  }
  int exit_code = 0;
  std::vector<Checked> checked;
  for (const std::string& file : *files) {
    absl::StatusOr<std::string> content = ReadFile(file);
    if (!content.ok()) {
      std::fprintf(stderr, "gongkai check: %s\n", std::string(content.status().message()).c_str());
      exit_code = 2;
      continue;
    }
    absl::StatusOr<v1::AnnualReport> report = parser::ParseDocument(*content, file);
    if (!report.ok()) {
      std::fprintf(stderr, "%s: cannot be checked: %s\n", file.c_str(), std::string(report.status().message()).c_str());
      exit_code = 2;
      continue;
    }
    report->mutable_metadata()->set_file_name(file);
    if (expected_year > 0) report->mutable_metadata()->set_expected_year(expected_year);
    checked.push_back({file, std::move(*report)});
  }
  std::unique_ptr<v1::AnnualReport> previous;
  if (!args->Value("previous").empty()) {
    absl::StatusOr<std::string> content = ReadFile(args->Value("previous"));
    absl::StatusOr<v1::AnnualReport> prev =
        content.ok() ? parser::ParseDocument(*content, args->Value("previous")) : absl::StatusOr<v1::AnnualReport>(content.status());
    if (!prev.ok()) {
      std::fprintf(stderr, "gongkai check: --previous %s: %s\n", args->Value("previous").c_str(),
                   std::string(prev.status().message()).c_str());
      return 2;
    }
    previous = std::make_unique<v1::AnnualReport>(std::move(*prev));
  }
  std::vector<const v1::AnnualReport*> reports, prevs;
  for (const Checked& c : checked) {
    reports.push_back(&c.report);
    prevs.push_back(previous.get());
  }
  std::vector<std::vector<v1::Finding>> results = validator->ValidateBatch(reports, prevs);
  for (size_t i = 0; i < checked.size(); ++i) {
    const v1::AnnualReport& r = checked[i].report;
    bool has_error = false;
    for (const v1::Finding& f : results[i]) {
      if (f.severity() == v1::SEVERITY_ERROR && f.outcome() == v1::OUTCOME_FAILED) has_error = true;
    }
    if (has_error && exit_code == 0) exit_code = 1;
    std::string out;
    if (args->Has("json")) {
      out = "{\"file\":" + JsonString(checked[i].file) + ",\"agency\":" + JsonString(r.agency()) +
            ",\"year\":" + absl::StrCat(r.report_year()) + ",\"version\":" + JsonString(VersionName(r.version())) +
            ",\"findings\":[";
      for (size_t k = 0; k < results[i].size(); ++k) {
        if (k) out.push_back(',');
        out += FindingJson(results[i][k]);
      }
      out += "]}\n";
    } else {
      std::map<v1::Severity, int> counts;
      for (const v1::Finding& f : results[i]) {
        if (f.outcome() == v1::OUTCOME_FAILED) ++counts[f.severity()];
      }
      absl::StrAppend(&out, "== ", checked[i].file, "  ", r.agency().empty() ? "(agency not named)" : r.agency(), " ",
                      r.report_year() > 0 ? absl::StrCat(r.report_year()) : "(year unknown)", " ", VersionName(r.version()),
                      "  —  ", counts[v1::SEVERITY_ERROR], " errors, ", counts[v1::SEVERITY_WARNING], " warnings, ",
                      counts[v1::SEVERITY_INFO], " notes\n");
      for (const v1::Finding& f : results[i]) {
        std::string where = f.positions_size() > 0 ? PositionText(f.positions(0)) : "-";
        const char* sev = f.outcome() == v1::OUTCOME_UNVERIFIABLE ? "UNVERIFIABLE" : std::string(validator::SeverityName(f.severity())).c_str();
        std::string sev_text = f.outcome() == v1::OUTCOME_UNVERIFIABLE ? "UNCHECKED" : std::string(validator::SeverityName(f.severity()));
        (void)sev;
        absl::StrAppend(&out, "  ", checked[i].file, ":", where, ": ", sev_text, " [", f.rule_id(), "] ", f.message(), "\n");
        if (!f.expected().empty() && f.rule_id().rfind("t", 0) == 0) absl::StrAppend(&out, "      expected: ", f.expected(), "\n");
      }
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return exit_code;
}

}  // namespace gongkai::cli
