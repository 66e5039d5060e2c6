#include "tests/testing/test_data.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/schema.h"
#include "gtest/gtest.h"

namespace gongkai::testing {

std::string TestDataDir() {
  const char* dir = std::getenv("GONGKAI_TEST_DATA");
  return dir ? dir : GONGKAI_DEFAULT_TEST_DATA;
}

std::string SharedCorpusDir() {
  const char* dir = std::getenv("GONGKAI_SHARED");
  std::string shared = dir ? dir : GONGKAI_DEFAULT_SHARED;
  std::string corpus = shared + "/corpus";
  std::error_code ec;
  return std::filesystem::is_directory(corpus, ec) ? corpus : std::string();
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::map<std::string, std::string> ReadExpectedCells(const std::string& path) {
  std::map<std::string, std::string> out;
  for (absl::string_view line : absl::StrSplit(ReadFileOrDie(path), '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::pair<std::string, std::string> kv = absl::StrSplit(line, absl::MaxSplits('\t', 1));
    out[kv.first] = kv.second;
  }
  return out;
}

std::map<std::string, std::string> CellsOf(const v1::AnnualReport& report) {
  std::map<std::string, std::string> out;
  out["@version"] = std::string(VersionName(report.version()));
  out["@year"] = report.report_year() > 0 ? absl::StrCat(report.report_year()) : "null";
  out["@agency"] = report.agency().empty() ? "null" : report.agency();
  for (const v1::Table* t : {&report.table2(), &report.table3(), &report.table4()}) {
    for (const v1::Cell& c : t->cells()) out[c.key()] = CellValueText(c);
  }
  return out;
}

}  // namespace gongkai::testing
