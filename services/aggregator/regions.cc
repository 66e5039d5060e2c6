#include "services/aggregator/regions.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/text.h"

extern const char kDivisionsTsv[];  // generated from data/divisions.tsv

namespace gongkai::aggregator {

absl::StatusOr<RegionTable> RegionTable::Parse(absl::string_view tsv) {
  RegionTable table;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(tsv, '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<absl::string_view> parts = absl::StrSplit(line, '\t');
    if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("division table line ", line_no, ": expected code<TAB>name<TAB>parent"));
    }
    Division d{std::string(parts[0]), std::string(parts[1]), std::string(parts[2])};
    size_t index = table.divisions_.size();
    table.by_code_[d.code] = index;
    // Placeholder names ("市辖区", "县", "省直辖县级行政区划") and one-character names name nothing.
    bool placeholder = d.name == "市辖区" || d.name == "县" || Contains(d.name, "直辖") || d.name.size() < 6;
    if (!placeholder) table.by_name_[d.name].push_back(index);
    table.longest_name_ = std::max(table.longest_name_, d.name.size());
    table.divisions_.push_back(std::move(d));
  }
  return table;
}

const Division* RegionTable::Find(absl::string_view code) const {
  auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &divisions_[it->second];
}

std::vector<std::string> RegionTable::Lineage(absl::string_view code) {
  std::vector<std::string> out;
  for (size_t len : {2, 4, 6, 9, 12}) {
    if (code.size() >= len) out.emplace_back(code.substr(0, len));
  }
  return out;
}

absl::string_view RegionTable::LevelOf(absl::string_view code) {
  switch (code.size()) {
    case 2:
      return "province";
    case 4:
      return "city";
    case 6:
      return "county";
    case 9:
      return "township";
    default:
      return "";
  }
}

std::string RegionTable::FullName(absl::string_view code) const {
  std::vector<std::string> names;
  for (const std::string& c : Lineage(code)) {
    const Division* d = Find(c);
    if (d != nullptr && d->name != "市辖区" && d->name != "县") names.push_back(d->name);
  }
  return names.empty() ? std::string(code) : absl::StrJoin(names, " ");
}

RegionInference RegionTable::Infer(absl::string_view agency) const {
  RegionInference out;
  // Every division named in the agency (all substrings up to the longest name).
  struct Hit {
    size_t index;
    size_t begin, end;  // byte span in the agency name
  };
  std::vector<Hit> hits;
  for (size_t i = 0; i < agency.size(); ++i) {
    if ((static_cast<unsigned char>(agency[i]) & 0xC0) == 0x80) continue;  // not a code point start
    for (size_t len = 6; i + len <= agency.size() && len <= longest_name_; ++len) {
      auto it = by_name_.find(agency.substr(i, len));
      if (it == by_name_.end()) continue;
      for (size_t idx : it->second) hits.push_back({idx, i, i + len});
    }
  }
  // A name inside a longer name is not named ("店镇" inside "辛店镇").
  std::vector<size_t> found;
  std::vector<std::string> found_names;
  for (const Hit& h : hits) {
    bool inside = false;
    for (const Hit& o : hits) {
      if (o.begin <= h.begin && h.end <= o.end && (o.end - o.begin) > (h.end - h.begin)) inside = true;
    }
    if (inside) continue;
    found.push_back(h.index);
    found_names.emplace_back(agency.substr(h.begin, h.end - h.begin));
  }
  if (found.empty()) return out;
  // The most specific level named.
  size_t deepest = 0;
  for (size_t idx : found) deepest = std::max(deepest, divisions_[idx].code.size());
  std::vector<size_t> candidates;
  std::string matched;
  for (size_t k = 0; k < found.size(); ++k) {
    if (divisions_[found[k]].code.size() == deepest) {
      candidates.push_back(found[k]);
      matched = found_names[k];
    }
  }
  // Keep the candidates whose ancestors are named too, when any are.
  auto ancestors_named = [&](size_t idx) {
    int named = 0;
    for (const std::string& c : Lineage(divisions_[idx].code)) {
      if (c == divisions_[idx].code) continue;
      for (size_t f : found) {
        if (divisions_[f].code == c) ++named;
      }
    }
    return named;
  };
  int best = 0;
  for (size_t idx : candidates) best = std::max(best, ancestors_named(idx));
  std::vector<size_t> kept;
  for (size_t idx : candidates) {
    if (ancestors_named(idx) == best) kept.push_back(idx);
  }
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  out.matched = matched;
  if (kept.size() == 1) {
    out.kind = RegionInference::Kind::kFound;
    out.code = divisions_[kept[0]].code;
    return out;
  }
  out.kind = RegionInference::Kind::kAmbiguous;
  for (size_t idx : kept) out.candidates.push_back(divisions_[idx].code);
  return out;
}

const RegionTable& DefaultRegionTable() {
  static const RegionTable* table = new RegionTable(*RegionTable::Parse(kDivisionsTsv));
  return *table;
}

std::string OrganLevel(absl::string_view agency) {
  if (agency.empty()) return "";
  bool government = absl::EndsWith(agency, "人民政府") || absl::EndsWith(agency, "政府") ||
                    absl::EndsWith(agency, "管理委员会") || absl::EndsWith(agency, "管委会");
  auto has = [&](absl::string_view w) { return Contains(agency, w); };
  if (!government) {
    for (absl::string_view dept : {"局", "委员会", "委", "办公室", "办公厅", "中心", "厅", "部", "署", "所", "院", "办"}) {
      if (absl::EndsWith(agency, dept)) return "department";
    }
    if (has("镇") || has("乡") || has("街道") || has("片区")) return "township";
    return "";
  }
  if (has("镇") || has("乡") || has("街道")) return "township";
  if (has("县") || has("区人民政府") || absl::EndsWith(agency, "市人民政府")) {
    // A county-level city and a prefecture city both end in 市人民政府: the province before it tells.
    if (absl::EndsWith(agency, "市人民政府") && (has("省") || has("自治区"))) return "city";
    return has("县") || has("区") ? "county" : "city";
  }
  if (has("省") || has("自治区")) return "province";
  return "";
}

}  // namespace gongkai::aggregator
