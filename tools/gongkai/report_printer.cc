#include "tools/gongkai/report_printer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/schema.h"
#include "google/protobuf/util/json_util.h"

namespace gongkai::cli {

std::string FormatCells(const v1::AnnualReport& report) {
  std::string out;
  absl::StrAppend(&out, "@version\t", VersionName(report.version()), "\n");
  absl::StrAppend(&out, "@year\t", report.report_year() > 0 ? absl::StrCat(report.report_year()) : "null", "\n");
  absl::StrAppend(&out, "@agency\t", report.agency().empty() ? "null" : report.agency(), "\n");
  for (const v1::Table* table : {&report.table2(), &report.table3(), &report.table4()}) {
    for (const v1::Cell& cell : table->cells()) {
      absl::StrAppend(&out, cell.key(), "\t", CellValueText(cell), "\n");
    }
  }
  return out;
}

std::string FormatNotes(const v1::AnnualReport& report, absl::string_view file) {
  std::string out;
  for (const v1::ParseNote& note : report.notes()) {
    absl::StrAppend(&out, file, ":", note.position().line(), ": ", note.message(), " (", note.message_en(), ")");
    if (note.values_size() > 0) absl::StrAppend(&out, " [", absl::StrJoin(note.values(), " "), "]");
    out.push_back('\n');
  }
  return out;
}

std::string FormatReadable(const v1::AnnualReport& report, absl::string_view file) {
  std::string out;
  absl::StrAppend(&out, "== ", file, "\n");
  absl::StrAppend(&out, "agency:  ", report.agency().empty() ? "(not named)" : report.agency(), "\n");
  absl::StrAppend(&out, "year:    ", report.report_year(), " (title ", report.title_year(), ", period ",
                  report.period_year(), ")\n");
  absl::StrAppend(&out, "version: ", VersionName(report.version()),
                  report.version_evidence().empty() ? "" : absl::StrCat(" — from ", report.version_evidence()),
                  "\n");
  std::string sections;
  for (const v1::Section& s : report.sections()) {
    absl::StrAppend(&sections, sections.empty() ? "" : " ", s.number(), "@", s.position().line());
  }
  absl::StrAppend(&out, "sections: ", sections.empty() ? "(none)" : sections, "\n");
  const char* names[] = {"表二 table 2", "表三 table 3", "表四 table 4"};
  int t = 0;
  for (const v1::Table* table : {&report.table2(), &report.table3(), &report.table4()}) {
    absl::StrAppend(&out, names[t++], table->present() ? "" : " (not found)", "\n");
    std::string row_key;
    for (const v1::Cell& cell : table->cells()) {
      absl::string_view key = cell.key();
      std::string row(key.substr(0, key.rfind('.')));
      if (row != row_key) {
        if (!row_key.empty()) out.push_back('\n');
        absl::StrAppend(&out, absl::StrFormat("  %-34s", row));
        row_key = row;
      }
      absl::StrAppend(&out, absl::StrFormat(" %6s", CellValueText(cell) == "null" ? "·" : CellValueText(cell)));
    }
    if (!row_key.empty()) out.push_back('\n');
  }
  if (report.notes_size() > 0) {
    absl::StrAppend(&out, "notes:\n", FormatNotes(report, file));
  }
  return out;
}

std::string FormatJson(const v1::AnnualReport& report, bool pretty) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = pretty;
  auto status = google::protobuf::util::MessageToJsonString(report, &json, options);
  if (!status.ok()) return "{}";
  return json;
}

}  // namespace gongkai::cli
