#include "services/aggregator/summary.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/schema.h"
#include "common/text.h"
#include "services/aggregator/aggregate.h"

namespace gongkai::aggregator {
namespace {

size_t DigitsOf(absl::string_view level) {
  if (level == "province") return 2;
  if (level == "city") return 4;
  if (level == "county") return 6;
  return 9;
}

int64_t Cell(const v1::NodeAggregate& n, const std::string& key) {
  auto s = n.sums().find("v2021");
  if (s == n.sums().end()) return 0;
  auto c = s->second.cells().find(key);
  return c == s->second.cells().end() ? 0 : c->second;
}

double Share(int64_t part, int64_t whole) { return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0; }

}  // namespace

std::string AmountText(int64_t millionths) {
  v1::Decimal d;
  d.set_units(millionths);
  d.set_scale(6);
  std::string text = DecimalText(d);
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  return text;
}

v1::Indicators IndicatorsOf(const v1::NodeAggregate& n) {
  v1::Indicators ind;
  int64_t handled = Cell(n, "t3.total.total");
  ind.set_applications_received(Cell(n, "t3.received_new.total"));
  ind.set_applications_handled(handled);
  ind.set_granted_share(Share(Cell(n, "t3.granted.total"), handled));
  ind.set_partially_granted_share(Share(Cell(n, "t3.partially_granted.total"), handled));
  for (const std::string& row : Table3ResultRows(v1::TEMPLATE_VERSION_V2021)) {
    if (absl::StartsWith(row, "t3.denied_")) (*ind.mutable_denied_share())[row] = Share(Cell(n, row + ".total"), handled);
  }
  int64_t review_done = Cell(n, "t4.review.total") - Cell(n, "t4.review.pending");
  ind.set_review_correction_rate(Share(Cell(n, "t4.review.corrected"), review_done));
  int64_t suits_done = Cell(n, "t4.litigation_direct.total") - Cell(n, "t4.litigation_direct.pending") +
                       Cell(n, "t4.litigation_after_review.total") - Cell(n, "t4.litigation_after_review.pending");
  ind.set_litigation_correction_rate(
      Share(Cell(n, "t4.litigation_direct.corrected") + Cell(n, "t4.litigation_after_review.corrected"), suits_done));
  ind.set_fees_wan_yuan(AmountText(Cell(n, "t2.fees.amount_wan_yuan")));
  return ind;
}

absl::StatusOr<std::vector<ExpectedOrgan>> ParseExpectedOrgans(absl::string_view csv) {
  if (absl::StartsWith(csv, "\xEF\xBB\xBF")) csv.remove_prefix(3);
  std::vector<ExpectedOrgan> out;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(csv, '\n')) {
    ++line_no;
    line = TrimSpace(line);
    if (line.empty() || line[0] == '#') continue;
    if (line_no == 1 && (absl::StartsWith(line, "name") || absl::StartsWith(line, "机关"))) continue;
    std::vector<std::string> parts = absl::StrSplit(line, ',');
    if (parts.size() < 2 || parts[0].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("expected organs, line ", line_no,
                                                     ": expected name,region_code,level (got \"", line, "\")"));
    }
    out.push_back({parts[0], parts[1], parts.size() > 2 ? parts[2] : ""});
  }
  return out;
}

v1::Summary Summarize(const v1::Aggregate& aggregate, absl::string_view max_level,
                      const std::vector<ExpectedOrgan>& expected, const RegionTable& regions) {
  v1::Summary summary;
  size_t max_digits = DigitsOf(max_level);
  std::map<std::string, v1::NodeAggregate> rolled;
  v1::NodeAggregate total;
  for (const auto& [code, node] : aggregate.nodes()) {
    MergeNode(node, &total);
    if (code.empty()) {
      MergeNode(node, &rolled["unknown"]);
      continue;
    }
    for (const std::string& prefix : RegionTable::Lineage(code)) {
      if (prefix.size() <= max_digits) MergeNode(node, &rolled[prefix]);
    }
  }
  v1::SummaryNode* t = summary.mutable_total();
  t->set_name("全部");
  *t->mutable_totals() = total;
  *t->mutable_indicators() = IndicatorsOf(total);
  for (auto& [code, node] : rolled) {
    v1::SummaryNode* n = summary.add_nodes();
    n->set_code(code);
    n->set_name(code == "unknown" ? "地区未知" : regions.FullName(code));
    n->set_level(std::string(RegionTable::LevelOf(code)));
    *n->mutable_indicators() = IndicatorsOf(node);
    *n->mutable_totals() = std::move(node);
  }
  std::vector<std::pair<std::string, int64_t>> rules(total.rule_counts().begin(), total.rule_counts().end());
  std::sort(rules.begin(), rules.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (const auto& [rule, count] : rules) summary.add_top_rules(absl::StrCat(rule, ": ", count));
  // Coverage: expected organs matched by region and name against the filings.
  std::map<std::pair<std::string, std::string>, int64_t> filed;
  for (const auto& [key, count] : aggregate.filings()) {
    std::vector<std::string> parts = absl::StrSplit(key, absl::MaxSplits('|', 2));
    if (parts.size() == 3) filed[{parts[0], parts[1]}] += count;
  }
  for (const ExpectedOrgan& organ : expected) {
    int64_t n = 0;
    for (const auto& [key, count] : filed) {
      bool region_ok = organ.region_code.empty() || key.first.empty() || absl::StartsWith(key.first, organ.region_code) ||
                       absl::StartsWith(organ.region_code, key.first);
      if (region_ok && key.second == organ.agency) n += count;
    }
    if (n == 1) continue;
    v1::CoverageGap* gap = summary.add_coverage();
    gap->set_agency(organ.agency);
    gap->set_region_code(organ.region_code);
    gap->set_level(organ.level);
    gap->set_filed(n);
  }
  AddRollupFindings(aggregate, regions, &summary);
  return summary;
}

void AddRollupFindings(const v1::Aggregate& aggregate, const RegionTable& regions, v1::Summary* summary) {
  // Nodes in code order, so that an area's nodes (its code and every code below it) are one run.
  std::map<std::string, const v1::NodeAggregate*> nodes;
  for (const auto& [code, node] : aggregate.nodes()) {
    if (!code.empty()) nodes[code] = &node;
  }
  for (const auto& [code, node] : nodes) {
    for (const auto& [version, area] : node->area_sums()) {
      // Two area reports of one area are a coverage problem; there is no one report to compare.
      if (area.reports() != 1) continue;
      std::map<std::string, int64_t> organs;
      int64_t organ_reports = 0;
      for (auto it = nodes.lower_bound(code); it != nodes.end() && absl::StartsWith(it->first, code); ++it) {
        auto sums = it->second->sums().find(version);
        if (sums == it->second->sums().end()) continue;
        organ_reports += sums->second.reports();
        for (const auto& [key, value] : sums->second.cells()) organs[key] += value;
      }
      if (organ_reports == 0) continue;  // nothing filed to compare against
      // Only cells the area report holds are compared: a cell it left blank is cell.present's business.
      std::map<std::string, int64_t> area_cells(area.cells().begin(), area.cells().end());
      std::vector<std::pair<std::string, int64_t>> differing;
      for (const auto& [key, value] : area_cells) {
        auto o = organs.find(key);
        int64_t sum = o == organs.end() ? 0 : o->second;
        if (sum != value) differing.emplace_back(key, sum);
      }
      if (differing.empty()) continue;
      auto text = [](const std::string& key, int64_t v) { return IsDecimalCell(key) ? AmountText(v) : absl::StrCat(v); };
      v1::Finding* f = summary->add_rollup();
      f->set_rule_id("rollup.sum");
      f->set_severity(v1::SEVERITY_WARNING);
      f->set_outcome(v1::OUTCOME_FAILED);
      std::string expected;
      constexpr size_t kShown = 12;
      for (size_t i = 0; i < differing.size() && i < kShown; ++i) {
        const auto& [key, sum] = differing[i];
        f->add_cells(key);
        f->add_values(text(key, area_cells[key]));
        absl::StrAppend(&expected, i > 0 ? "; " : "", key, " = ", text(key, sum));
      }
      if (differing.size() > kShown) absl::StrAppend(&expected, "; … ", differing.size() - kShown, " more");
      f->set_expected(expected);
      std::string name = regions.FullName(code);
      f->set_message(absl::StrCat(name, "的汇总报告（", version, "）有 ", differing.size(), " 个单元格与本地区 ",
                                  organ_reports, " 份机关报告之和不一致"));
      f->set_message_en(absl::StrCat("the area report of ", name, " (", version, ") differs in ", differing.size(),
                                     " cells from the sum of the ", organ_reports, " organ reports filed in its area"));
      (*f->mutable_args())["region_code"] = code;
      (*f->mutable_args())["version"] = version;
      (*f->mutable_args())["organ_reports"] = absl::StrCat(organ_reports);
      (*f->mutable_args())["differing_cells"] = absl::StrCat(differing.size());
    }
  }
}

}  // namespace gongkai::aggregator
