// gongkai gen-corpus: writes a generated corpus; gongkai quality: the quality figures measured on one.
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "services/aggregator/regions.h"
#include "tools/corpus/generator.h"
#include "tools/corpus/quality.h"
#include "tools/gongkai/args.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

constexpr char kGenUsage[] =
    "usage: gongkai gen-corpus --reports N [--seed S] [--error-share F] [--formats a,b,...] [--region CODE] --out DIR\n"
    "  Writes N realistic reports into DIR/reports, with DIR/manifest.tsv (which report carries which injected\n"
    "  error) and DIR/organs.csv (for --regions). Deterministic for a seed. Formats: tabs, pipes, cell-per-line,\n"
    "  markdown, spaces, html, docx, pdf (default: all, in turn). --error-share is the share of reports with one\n"
    "  injected error (default 0.2). --region limits the organs to one region by code prefix (\"23\": 黑龙江省).\n";
constexpr char kQualityUsage[] =
    "usage: gongkai quality [--reports N] [--seed S] [--error-share F] [--formats a,b,...] [--region CODE]\n"
    "  Generates the corpus gen-corpus would write (default 5000 reports, seed 1), parses and validates it in\n"
    "  this process, and prints each rule's recall on its injected errors, its false findings on clean\n"
    "  reports, and the parser's cell-level exact-match rate per layout.\n";

// The corpus options from the flags; false (after saying why) on a bad value.
bool CorpusOptionsFrom(const Args& args, int default_reports, corpus::CorpusOptions* options) {
  options->reports = default_reports;
  if (args.values.count("reports") && (!absl::SimpleAtoi(args.Value("reports"), &options->reports) || options->reports < 1)) {
    std::fprintf(stderr, "gongkai: --reports expects a positive number, got '%s'\n", args.Value("reports").c_str());
    return false;
  }
  if (args.values.count("seed") && !absl::SimpleAtoi(args.Value("seed"), &options->seed)) {
    std::fprintf(stderr, "gongkai: --seed expects a number, got '%s'\n", args.Value("seed").c_str());
    return false;
  }
  if (args.values.count("error-share") &&
      (!absl::SimpleAtod(args.Value("error-share"), &options->error_share) || options->error_share < 0 ||
       options->error_share > 1)) {
    std::fprintf(stderr, "gongkai: --error-share expects a number from 0 to 1, got '%s'\n", args.Value("error-share").c_str());
    return false;
  }
  options->region = args.Value("region");
  if (!options->region.empty() && aggregator::DefaultRegionTable().Find(options->region) == nullptr) {
    std::fprintf(stderr, "gongkai: --region %s is not a division code\n", options->region.c_str());
    return false;
  }
  if (args.values.count("formats")) {
    for (absl::string_view name : absl::StrSplit(args.Value("formats"), ',', absl::SkipEmpty())) {
      bool known = false;
      for (corpus::Format f : corpus::AllFormats()) {
        if (name == corpus::FormatName(f)) {
          options->formats.push_back(f);
          known = true;
        }
      }
      if (!known) {
        std::fprintf(stderr, "gongkai: unknown format '%s' in --formats\n", std::string(name).c_str());
        return false;
      }
    }
  }
  return true;
}

}  // namespace

int RunGenCorpus(int argc, char** argv) {
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, {{"help"}, {"reports", "seed", "error-share", "formats", "out", "region"}});
  if (!args.ok() || args->Has("help") || args->Value("out").empty() || !args->positional.empty()) {
    if (!args.ok()) std::fprintf(stderr, "gongkai: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kGenUsage, args.ok() && args->Has("help") ? stdout : stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  corpus::CorpusOptions options;
  if (!CorpusOptionsFrom(*args, 1000, &options)) return 2;
  absl::Status written = corpus::WriteCorpus(options, args->Value("out"));
  if (!written.ok()) {
    std::fprintf(stderr, "gongkai: %s\n", std::string(written.message()).c_str());
    return 2;
  }
  std::printf("wrote %d reports into %s/reports (manifest.tsv, organs.csv)\n", options.reports, args->Value("out").c_str());
  return 0;
}

int RunQuality(int argc, char** argv) {
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, {{"help"}, {"reports", "seed", "error-share", "formats", "region"}});
  if (!args.ok() || args->Has("help") || !args->positional.empty()) {
    if (!args.ok()) std::fprintf(stderr, "gongkai: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kQualityUsage, args.ok() && args->Has("help") ? stdout : stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  corpus::CorpusOptions options;
  if (!CorpusOptionsFrom(*args, 5000, &options)) return 2;
  corpus::QualityReport report = corpus::MeasureQuality(options);
  std::fputs(corpus::FormatQualityReport(report, options).c_str(), stdout);
  return 0;
}

}  // namespace gongkai::cli
