// gongkai summarize: parse, validate and aggregate reports locally; write the exports; print the top.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/aggregator/aggregate.h"
#include "services/aggregator/exports.h"
#include "services/aggregator/summary.h"
#include "services/parser/parser.h"
#include "services/validator/validator.h"
#include "tools/gongkai/args.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

constexpr char kUsage[] =
    "usage: gongkai summarize [--regions expected.csv] [--level province|city|county|township] [--out DIR]\n"
    "                         [--rules RULES.textproto] [--include-errors] FILE_OR_DIR...\n"
    "  Parses, validates and adds up the reports; writes summary.json, regions.csv, reports.csv,\n"
    "  summary.xlsx and summary.html into DIR (default gongkai-summary), and prints the top of the summary.\n"
    "  --regions F        the organs expected to report (name,region_code,level): who filed nothing or twice\n"
    "  --level L          roll the region tree up to this level (default county)\n"
    "  --include-errors   sum reports with ERROR findings too (by default they are left out and counted)\n";

absl::Status WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path.string(), ": cannot be written"));
  return absl::OkStatus();
}

}  // namespace

bool WriteExportsAndPrint(const std::string& dir, const v1::Summary& summary,
                          const std::vector<aggregator::FindingRow>& rows, const std::string& reports_csv) {
  std::filesystem::path out_dir = dir;
  for (absl::Status s : {WriteText(out_dir / "summary.json", aggregator::SummaryJson(summary)),
                         WriteText(out_dir / "regions.csv", aggregator::RegionsCsv(summary)),
                         WriteText(out_dir / "reports.csv", reports_csv),
                         WriteText(out_dir / "summary.html", aggregator::SummaryHtml(summary, rows)),
                         aggregator::WriteXlsx(summary, rows, (out_dir / "summary.xlsx").string())}) {
    if (!s.ok()) {
      std::fprintf(stderr, "gongkai: %s\n", std::string(s.message()).c_str());
      return false;
    }
  }
  const v1::NodeAggregate& t = summary.total().totals();
  const v1::Indicators& ind = summary.total().indicators();
  std::printf("%lld reports: %lld with errors, %lld with warnings only, %lld clean; %lld left out of the sums\n",
              static_cast<long long>(t.reports()), static_cast<long long>(t.reports_with_errors()),
              static_cast<long long>(t.reports_with_warnings()), static_cast<long long>(t.reports_clean()),
              static_cast<long long>(t.reports_excluded()));
  std::printf("applications received %lld, handled %lld; granted %.1f%%, partly %.1f%%; review correction %.1f%%; "
              "fees %s 万元\n",
              static_cast<long long>(ind.applications_received()), static_cast<long long>(ind.applications_handled()),
              ind.granted_share() * 100, ind.partially_granted_share() * 100, ind.review_correction_rate() * 100,
              ind.fees_wan_yuan().c_str());
  std::printf("%-12s %-40s %8s %8s %8s\n", "region", "name", "reports", "errors", "clean");
  int shown = 0;
  for (const v1::SummaryNode& n : summary.nodes()) {
    if (++shown > 15) {
      std::printf("… %d more regions in %s/regions.csv\n", summary.nodes_size() - 15, out_dir.string().c_str());
      break;
    }
    std::printf("%-12s %-40s %8lld %8lld %8lld\n", n.code().c_str(), n.name().c_str(),
                static_cast<long long>(n.totals().reports()), static_cast<long long>(n.totals().reports_with_errors()),
                static_cast<long long>(n.totals().reports_clean()));
  }
  for (int i = 0; i < summary.top_rules_size() && i < 5; ++i) std::printf("top rule: %s\n", summary.top_rules(i).c_str());
  for (const v1::CoverageGap& gap : summary.coverage()) {
    std::printf("%s: %s (%s)\n", gap.filed() == 0 ? "filed nothing" : "filed more than once", gap.agency().c_str(),
                gap.region_code().c_str());
  }
  for (const v1::Finding& f : summary.rollup()) {
    std::printf("%s WARNING: %s (expected %s)\n", f.rule_id().c_str(), f.message().c_str(), f.expected().c_str());
  }
  std::printf("exports: %s/{summary.json,regions.csv,reports.csv,summary.xlsx,summary.html}\n", out_dir.string().c_str());
  return true;
}

int RunSummarize(int argc, char** argv) {
  ArgSpec spec{{"help", "include-errors"}, {"regions", "level", "out", "rules"}};
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, spec);
  std::string level = args.ok() ? args->Value("level", "county") : "";
  if (!args.ok() || args->Has("help") || args->positional.empty() ||
      (level != "province" && level != "city" && level != "county" && level != "township")) {
    if (!args.ok()) std::fprintf(stderr, "gongkai summarize: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kUsage, stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<aggregator::ExpectedOrgan>> expected = LoadExpectedOrgans(args->Value("regions"));
  if (!expected.ok()) {
    std::fprintf(stderr, "gongkai summarize: %s\n", std::string(expected.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<validator::Validator> validator = LoadValidator(args->Value("rules"));
  if (!validator.ok()) {
    std::fprintf(stderr, "gongkai summarize: %s\n", std::string(validator.status().message()).c_str());
    return 2;
  }
  absl::StatusOr<std::vector<std::string>> files = ExpandInputs(args->positional);
  if (!files.ok()) {
    std::fprintf(stderr, "gongkai summarize: %s\n", std::string(files.status().message()).c_str());
    return 2;
  }
  std::filesystem::path out_dir = args->Value("out", "gongkai-summary");
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::fprintf(stderr, "gongkai summarize: %s: %s\n", out_dir.string().c_str(), ec.message().c_str());
    return 2;
  }
  int exit_code = 0;
  std::vector<std::string> names;
  std::vector<v1::AnnualReport> reports;
  for (const std::string& file : *files) {
    absl::StatusOr<std::string> content = ReadFile(file);
    absl::StatusOr<v1::AnnualReport> report =
        content.ok() ? parser::ParseDocument(*content, file) : absl::StatusOr<v1::AnnualReport>(content.status());
    if (!report.ok()) {
      std::fprintf(stderr, "%s: not counted: %s\n", file.c_str(), std::string(report.status().message()).c_str());
      exit_code = 2;
      continue;
    }
    report->mutable_metadata()->set_file_name(file);
    names.push_back(file);
    reports.push_back(std::move(*report));
  }
  std::vector<const v1::AnnualReport*> ptrs;
  for (const auto& r : reports) ptrs.push_back(&r);
  std::vector<std::vector<v1::Finding>> findings = validator->ValidateBatch(ptrs);
  v1::Aggregate aggregate;
  aggregate.mutable_options()->set_include_reports_with_errors(args->Has("include-errors"));
  std::string reports_csv = aggregator::ReportsCsv::Header();
  std::vector<aggregator::FindingRow> rows;
  for (size_t i = 0; i < reports.size(); ++i) {
    v1::CheckedReport checked;
    *checked.mutable_report() = reports[i];
    for (const auto& f : findings[i]) *checked.add_findings() = f;
    aggregator::AddReport(checked, &aggregate);
    aggregator::Placement place = aggregator::PlaceReport(reports[i]);
    reports_csv += aggregator::ReportsCsv::Row(names[i], reports[i], findings[i], place);
    for (const auto& f : findings[i]) rows.push_back({names[i], reports[i].agency(), place.region, f});
  }
  v1::Summary summary = aggregator::Summarize(aggregate, level, *expected);
  if (!WriteExportsAndPrint(out_dir.string(), summary, rows, reports_csv)) return 2;
  return exit_code;
}

}  // namespace gongkai::cli
