#include "services/validator/rule.h"

#include "absl/strings/str_cat.h"
#include "common/schema.h"

namespace gongkai::validator {

v1::Finding& FindingSink::Add(v1::Outcome outcome, v1::Severity severity, std::string message,
                              std::string message_en) {
  out_->emplace_back();
  v1::Finding& f = out_->back();
  f.set_rule_id(rule_id_);
  f.set_severity(severity);
  f.set_outcome(outcome);
  f.set_message(std::move(message));
  f.set_message_en(std::move(message_en));
  return f;
}

v1::Finding& FindingSink::Fail(std::string message, std::string message_en) {
  return Add(v1::OUTCOME_FAILED, severity_, std::move(message), std::move(message_en));
}

v1::Finding& FindingSink::Unverifiable(std::string message, std::string message_en) {
  return Add(v1::OUTCOME_UNVERIFIABLE, v1::SEVERITY_INFO, std::move(message), std::move(message_en));
}

std::optional<int64_t> IntValue(const v1::AnnualReport& report, absl::string_view key) {
  const v1::Cell* cell = FindCell(report, key);
  if (cell == nullptr || cell->state() != v1::CELL_STATE_PRESENT) return std::nullopt;
  int64_t v = 0;
  if (cell->has_decimal_value()) {
    if (cell->decimal_value().scale() != 0) return std::nullopt;
    v = cell->decimal_value().units();
  } else {
    v = cell->int_value();
  }
  // Beyond any real count: left out of the equations, so that their sums cannot overflow (found by
  // tests/fuzz/validator_fuzzer.cc); cell.number names such a value.
  if (v > kMaxCount || v < -kMaxCount) return std::nullopt;
  return v;
}

void AddCell(v1::Finding* finding, const v1::AnnualReport& report, absl::string_view key) {
  finding->add_cells(std::string(key));
  const v1::Cell* cell = FindCell(report, key);
  finding->add_values(cell == nullptr ? "null" : CellValueText(*cell));
  if (cell != nullptr && cell->position().line() > 0) *finding->add_positions() = cell->position();
}

std::string ColumnName(absl::string_view column) {
  if (column == "natural_person") return "自然人";
  if (column == "commercial") return "商业企业";
  if (column == "research") return "科研机构";
  if (column == "social_welfare") return "社会公益组织";
  if (column == "legal_service") return "法律服务机构";
  if (column == "other_org") return "其他";
  if (column == "total") return "总计";
  return std::string(column);
}

std::string RowName(absl::string_view row_key) {
  if (row_key == "t3.denied_subtotal") return "（三）不予公开";
  if (row_key == "t3.unable_subtotal") return "（四）无法提供";
  if (row_key == "t3.rejected_subtotal") return "（五）不予处理";
  if (row_key == "t3.other_subtotal") return "（六）其他处理";
  for (v1::TemplateVersion v : {v1::TEMPLATE_VERSION_V2021, v1::TEMPLATE_VERSION_V2019}) {
    for (TableId t : {TableId::kT2, TableId::kT3}) {
      for (const RowSpec& row : TableRows(t, v)) {
        if (row.key == row_key) return row.label;
      }
    }
  }
  return std::string(row_key);
}

std::string GroupName(absl::string_view group) {
  if (group == "review") return "行政复议";
  if (group == "litigation_direct") return "行政诉讼（未经复议直接起诉）";
  if (group == "litigation_after_review") return "行政诉讼（复议后起诉）";
  return std::string(group);
}

}  // namespace gongkai::validator
