#include "tools/corpus/quality.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/schema.h"
#include "services/parser/parser.h"
#include "services/validator/validator.h"

namespace gongkai::corpus {

QualityReport MeasureQuality(const CorpusOptions& options) {
  absl::Time start = absl::Now();
  QualityReport q;
  Generator generator(options);
  std::vector<GeneratedReport> generated;
  std::vector<v1::AnnualReport> parsed;
  std::vector<bool> ok;
  generated.reserve(options.reports);
  parsed.reserve(options.reports);
  // Parse each document as it is generated; only its description and cells are kept afterwards.
  for (int i = 0; i < options.reports; ++i) {
    generated.push_back(generator.Next());
    GeneratedReport& g = generated.back();
    FormatQuality& f = q.formats[FormatName(g.format)];
    ++f.reports;
    absl::StatusOr<v1::AnnualReport> report = parser::ParseDocument(g.content, g.file_name);
    g.content = std::string();
    ok.push_back(report.ok());
    parsed.push_back(report.ok() ? *std::move(report) : v1::AnnualReport());
    if (!report.ok()) {
      ++f.refused;
      continue;
    }
    for (const auto& [key, written] : g.cells) {
      std::string expected = (written.empty() || written == "/" || written == "-") ? "null" : written;
      const v1::Cell* cell = FindCell(parsed.back(), key);
      ++f.cells;
      if (cell != nullptr && CellValueText(*cell) == expected) ++f.exact;
    }
  }
  // Validate the whole corpus as one batch.
  absl::StatusOr<validator::Validator> v = validator::Validator::Create();
  std::vector<const v1::AnnualReport*> batch;
  std::vector<size_t> where;
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (!ok[i]) continue;
    batch.push_back(&parsed[i]);
    where.push_back(i);
  }
  std::vector<std::vector<v1::Finding>> findings = v->ValidateBatch(batch);
  q.reports = options.reports;
  // The report a batch.copied error copied from is one of the pair the rule must name: not a false finding.
  std::set<std::string> copy_sources;
  for (const GeneratedReport& g : generated) {
    if (!g.copied_from.empty()) copy_sources.insert(g.copied_from);
  }
  for (const std::string& rule : InjectableRules()) q.rules[rule];
  for (size_t b = 0; b < batch.size(); ++b) {
    const GeneratedReport& g = generated[where[b]];
    std::set<std::string> fired, fired_warning;
    for (const v1::Finding& f : findings[b]) {
      fired.insert(f.rule_id());
      if (f.severity() == v1::SEVERITY_ERROR || f.severity() == v1::SEVERITY_WARNING) fired_warning.insert(f.rule_id());
    }
    if (g.injected_rule.empty()) {
      ++q.clean;
      for (const std::string& rule : fired_warning) {
        if (rule == "batch.copied" && copy_sources.count(g.file_name) > 0) continue;
        ++q.rules[rule].false_findings;
      }
    } else {
      RuleQuality& r = q.rules[g.injected_rule];
      ++r.injected;
      if (fired.count(g.injected_rule) > 0) ++r.caught;
    }
  }
  // Refused documents that carried an error count as injected and missed.
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (!ok[i] && !generated[i].injected_rule.empty()) ++q.rules[generated[i].injected_rule].injected;
  }
  q.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return q;
}

std::string FormatQualityReport(const QualityReport& q, const CorpusOptions& options) {
  std::string out = absl::StrFormat(
      "corpus: %d reports (seed %d, %.0f%% with one injected error), %d clean; measured in %.1f s\n\n", q.reports,
      options.seed, options.error_share * 100, q.clean, q.seconds);
  absl::StrAppend(&out, absl::StrFormat("%-24s %9s %7s %8s %15s\n", "rule", "injected", "caught", "recall",
                                        "false (clean)"));
  for (const auto& [rule, r] : q.rules) {
    std::string recall = r.injected == 0 ? "-" : absl::StrFormat("%.1f%%", 100.0 * r.caught / r.injected);
    absl::StrAppend(&out, absl::StrFormat("%-24s %9d %7d %8s %15d\n", rule, r.injected, r.caught, recall, r.false_findings));
  }
  absl::StrAppend(&out, "(false: clean reports on which the rule fired at WARNING or ERROR; for batch.copied the\n"
                       " report that was copied from is the other half of the pair, not a false finding)\n");
  absl::StrAppend(&out, absl::StrFormat("\n%-16s %8s %8s %10s %12s\n", "layout", "reports", "refused", "cells",
                                        "exact match"));
  for (const auto& [name, f] : q.formats) {
    absl::StrAppend(&out, absl::StrFormat("%-16s %8d %8d %10d %11.3f%%\n", name, f.reports, f.refused, f.cells,
                                          f.cells == 0 ? 0.0 : 100.0 * f.exact / f.cells));
  }
  return out;
}

}  // namespace gongkai::corpus
