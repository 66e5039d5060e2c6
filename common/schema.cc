#include "common/schema.h"

#include <cstring>

#include "absl/base/attributes.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

using v1::TemplateVersion;

std::vector<RowSpec> MakeT2V2021() {
  return {
      {"t2.rules", "规章", {"issued", "repealed", "in_force"}},
      {"t2.normative_docs", "行政规范性文件", {"issued", "repealed", "in_force"}},
      {"t2.licensing", "行政许可", {"decisions"}},
      {"t2.punishment", "行政处罚", {"decisions"}},
      {"t2.coercion", "行政强制", {"decisions"}},
      {"t2.fees", "行政事业性收费", {"amount_wan_yuan"}},
  };
}

std::vector<RowSpec> MakeT2V2019() {
  return {
      {"t2.rules", "规章", {"made", "published", "public_total"}},
      {"t2.normative_docs", "规范性文件", {"made", "published", "public_total"}},
      {"t2.licensing", "行政许可", {"prior_items", "change", "decisions"}},
      {"t2.other_services", "其他对外管理服务事项", {"prior_items", "change", "decisions"}},
      {"t2.punishment", "行政处罚", {"prior_items", "change", "decisions"}},
      {"t2.coercion", "行政强制", {"prior_items", "change", "decisions"}},
      {"t2.fees", "行政事业性收费", {"prior_items", "change"}},
      {"t2.procurement", "政府集中采购", {"items", "amount"}},
  };
}

const std::vector<std::string>& T3Cols() {
  static const auto* cols = new std::vector<std::string>{
      "natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"};
  return *cols;
}

std::vector<RowSpec> MakeT3(bool v2019) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"received_new", "一、本年新收政府信息公开申请数量"},
      {"carried_over", "二、上年结转政府信息公开申请数量"},
      {"granted", "（一）予以公开"},
      {"partially_granted", "（二）部分公开"},
      {"denied_state_secret", "1.属于国家秘密"},
      {"denied_prohibited_by_law", "2.其他法律行政法规禁止公开"},
      {"denied_security_stability", "3.危及“三安全一稳定”"},
      {"denied_third_party", "4.保护第三方合法权益"},
      {"denied_internal_affairs", "5.属于三类内部事务信息"},
      {"denied_process_info", "6.属于四类过程性信息"},
      {"denied_enforcement_file", "7.属于行政执法案卷"},
      {"denied_query_item", "8.属于行政查询事项"},
      {"unable_not_held", "1.本机关不掌握相关政府信息"},
      {"unable_needs_creation", "2.没有现成信息需要另行制作"},
      {"unable_unclear", "3.补正后申请内容仍不明确"},
      {"rejected_petition", "1.信访举报投诉类申请"},
      {"rejected_repeated", "2.重复申请"},
      {"rejected_publication", "3.要求提供公开出版物"},
      {"rejected_excessive", "4.无正当理由大量反复申请"},
      {"rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"},
  };
  if (v2019) {
    rows.push_back({"other_processing", "（六）其他处理"});
  } else {
    rows.push_back({"other_overdue_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"});
    rows.push_back({"other_overdue_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"});
    rows.push_back({"other_other", "3.其他"});
  }
  rows.push_back({"total", "（七）总计"});
  rows.push_back({"carried_forward", "四、结转下年度继续办理"});
  std::vector<RowSpec> out;
  for (auto& [key, label] : rows) out.push_back({absl::StrCat("t3.", key), label, T3Cols()});
  return out;
}

std::vector<RowSpec> MakeT4() {
  std::vector<std::string> results = {"upheld", "corrected", "other", "pending", "total"};
  return {
      {"t4.review", "行政复议", results},
      {"t4.litigation_direct", "行政诉讼 未经复议直接起诉", results},
      {"t4.litigation_after_review", "行政诉讼 复议后起诉", results},
  };
}

bool IsV2019(TemplateVersion v) { return v == v1::TEMPLATE_VERSION_V2019; }

std::vector<std::string> MakeKeys(TemplateVersion v) {
  std::vector<std::string> keys;
  for (TableId t : {TableId::kT2, TableId::kT3, TableId::kT4}) {
    for (const RowSpec& row : TableRows(t, v)) {
      for (const std::string& col : row.columns) keys.push_back(absl::StrCat(row.key, ".", col));
    }
  }
  return keys;
}

v1::Table* MutableTable(v1::AnnualReport* report, TableId t) {
  switch (t) {
    case TableId::kT2:
      return report->mutable_table2();
    case TableId::kT3:
      return report->mutable_table3();
    case TableId::kT4:
      return report->mutable_table4();
  }
  return nullptr;
}

const v1::Table& GetTable(const v1::AnnualReport& report, TableId t) {
  switch (t) {
    case TableId::kT2:
      return report.table2();
    case TableId::kT3:
      return report.table3();
    case TableId::kT4:
      return report.table4();
  }
  return report.table2();
}

}  // namespace

static void BuildTables(TemplateVersion version, v1::AnnualReport* report);

const std::vector<RowSpec>& TableRows(TableId table, TemplateVersion version) {
  static const auto* t2_2021 = new std::vector<RowSpec>(MakeT2V2021());
  static const auto* t2_2019 = new std::vector<RowSpec>(MakeT2V2019());
  static const auto* t3_2021 = new std::vector<RowSpec>(MakeT3(false));
  static const auto* t3_2019 = new std::vector<RowSpec>(MakeT3(true));
  static const auto* t4 = new std::vector<RowSpec>(MakeT4());
  switch (table) {
    case TableId::kT2:
      return IsV2019(version) ? *t2_2019 : *t2_2021;
    case TableId::kT3:
      return IsV2019(version) ? *t3_2019 : *t3_2021;
    case TableId::kT4:
      return *t4;
  }
  return *t4;
}

const std::vector<std::string>& AllCellKeys(TemplateVersion version) {
  static const auto* k2021 = new std::vector<std::string>(MakeKeys(v1::TEMPLATE_VERSION_V2021));
  static const auto* k2019 = new std::vector<std::string>(MakeKeys(v1::TEMPLATE_VERSION_V2019));
  return IsV2019(version) ? *k2019 : *k2021;
}

const std::vector<std::string>& Table3Columns() { return T3Cols(); }

const std::vector<std::string>& Table4Groups() {
  static const auto* g =
      new std::vector<std::string>{"review", "litigation_direct", "litigation_after_review"};
  return *g;
}

const std::vector<std::string>& Table4Results() {
  static const auto* r =
      new std::vector<std::string>{"upheld", "corrected", "other", "pending", "total"};
  return *r;
}

const std::vector<std::string>& Table3ResultRows(TemplateVersion version) {
  auto make = [](TemplateVersion v) {
    std::vector<std::string> out;
    for (const RowSpec& row : TableRows(TableId::kT3, v)) {
      absl::string_view k = row.key;
      if (k == "t3.received_new" || k == "t3.carried_over" || k == "t3.total" ||
          k == "t3.carried_forward") {
        continue;
      }
      out.push_back(row.key);
    }
    return out;
  };
  static const auto* r2021 = new std::vector<std::string>(make(v1::TEMPLATE_VERSION_V2021));
  static const auto* r2019 = new std::vector<std::string>(make(v1::TEMPLATE_VERSION_V2019));
  return IsV2019(version) ? *r2019 : *r2021;
}

bool IsDecimalCell(absl::string_view key) {
  return key == "t2.fees.amount_wan_yuan" || key == "t2.procurement.amount";
}

bool IsSignedCell(absl::string_view key) {
  return absl::StartsWith(key, "t2.") && absl::EndsWith(key, ".change");
}

absl::string_view VersionName(TemplateVersion version) {
  switch (version) {
    case v1::TEMPLATE_VERSION_V2021:
      return "v2021";
    case v1::TEMPLATE_VERSION_V2019:
      return "v2019";
    case v1::TEMPLATE_VERSION_PRE2019:
      return "pre2019";
    default:
      return "unknown";
  }
}

TemplateVersion VersionFromName(absl::string_view name) {
  if (name == "v2021") return v1::TEMPLATE_VERSION_V2021;
  if (name == "v2019") return v1::TEMPLATE_VERSION_V2019;
  if (name == "pre2019") return v1::TEMPLATE_VERSION_PRE2019;
  return v1::TEMPLATE_VERSION_UNKNOWN;
}

void InitTables(TemplateVersion version, v1::AnnualReport* report) {
  // Copying a prebuilt set of tables is cheaper than building 200 keys each time.
  static const v1::AnnualReport* t2021 = [] {
    auto* r = new v1::AnnualReport();
    BuildTables(v1::TEMPLATE_VERSION_V2021, r);
    return r;
  }();
  static const v1::AnnualReport* t2019 = [] {
    auto* r = new v1::AnnualReport();
    BuildTables(v1::TEMPLATE_VERSION_V2019, r);
    return r;
  }();
  const v1::AnnualReport& src = IsV2019(version) ? *t2019 : *t2021;
  // Only keys and states are set in the template, so they are copied directly (a generic message merge
  // tests every field of every cell).
  auto copy = [](const v1::Table& from, v1::Table* to) {
    auto* cells = to->mutable_cells();
    cells->Clear();
    cells->Reserve(from.cells_size());
    for (const v1::Cell& cell : from.cells()) {
      v1::Cell* c = cells->Add();
      c->set_key(cell.key());
      c->set_state(cell.state());
    }
  };
  copy(src.table2(), report->mutable_table2());
  copy(src.table3(), report->mutable_table3());
  copy(src.table4(), report->mutable_table4());
}

static void BuildTables(TemplateVersion version, v1::AnnualReport* report) {
  for (TableId t : {TableId::kT2, TableId::kT3, TableId::kT4}) {
    v1::Table* table = MutableTable(report, t);
    table->clear_cells();
    for (const RowSpec& row : TableRows(t, version)) {
      for (const std::string& col : row.columns) {
        v1::Cell* cell = table->add_cells();
        cell->set_key(absl::StrCat(row.key, ".", col));
        cell->set_state(v1::CELL_STATE_MISSING);
      }
    }
  }
}

std::string DecimalText(const v1::Decimal& d) {
  int64_t units = d.units();
  bool negative = units < 0;
  uint64_t mag = negative ? static_cast<uint64_t>(-(units + 1)) + 1 : static_cast<uint64_t>(units);
  std::string digits = absl::StrCat(mag);
  if (d.scale() > 0) {
    if (digits.size() <= static_cast<size_t>(d.scale())) {
      digits.insert(0, static_cast<size_t>(d.scale()) + 1 - digits.size(), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(d.scale()), ".");
  }
  return negative ? absl::StrCat("-", digits) : digits;
}

std::string CellValueText(const v1::Cell& cell) {
  if (cell.state() != v1::CELL_STATE_PRESENT) return "null";
  if (cell.has_decimal_value()) return DecimalText(cell.decimal_value());
  return absl::StrCat(cell.int_value());
}

TableId TableOfKey(absl::string_view key) {
  if (absl::StartsWith(key, "t2.")) return TableId::kT2;
  if (absl::StartsWith(key, "t4.")) return TableId::kT4;
  return TableId::kT3;
}

namespace {

// Position of each key within its table, for both versions (a key's index is the same wherever it exists
// in the order InitTables builds). The validator looks cells up by key ~700 times a report, so this is an
// open-addressing table with a hash made for these short keys (a word at a time), not a general map.
class KeyIndexTable {
 public:
  explicit KeyIndexTable(TemplateVersion v) {
    for (TableId t : {TableId::kT2, TableId::kT3, TableId::kT4}) {
      int i = 0;
      for (const RowSpec& row : TableRows(t, v)) {
        for (const std::string& col : row.columns) entries_.push_back({absl::StrCat(row.key, ".", col), i++});
      }
    }
    size_t size = 64;
    while (size < entries_.size() * 4) size *= 2;  // at most a quarter full: probes stay short
    slots_.assign(size, -1);
    mask_ = size - 1;
    for (size_t e = 0; e < entries_.size(); ++e) {
      size_t s = Hash(entries_[e].first) & mask_;
      while (slots_[s] >= 0) s = (s + 1) & mask_;
      slots_[s] = static_cast<int>(e);
    }
  }

  // The key's index within its table, or -1 when the version has no such key.
  int Find(absl::string_view key) const {
    for (size_t s = Hash(key) & mask_;; s = (s + 1) & mask_) {
      int e = slots_[s];
      if (e < 0) return -1;
      if (entries_[static_cast<size_t>(e)].first == key) return entries_[static_cast<size_t>(e)].second;
    }
  }

 private:
  static uint64_t Hash(absl::string_view key) {
    uint64_t h = key.size() * 0x9E3779B97F4A7C15ULL;
    size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) {
      uint64_t w;
      std::memcpy(&w, key.data() + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
      h ^= h >> 32;
    }
    uint64_t tail = 0;
    if (i < key.size()) {
      if (key.size() >= 8) {
        std::memcpy(&tail, key.data() + key.size() - 8, 8);  // the last eight bytes, overlapping the words above
      } else {
        for (size_t k = 0; k < key.size(); ++k) tail |= static_cast<uint64_t>(static_cast<unsigned char>(key[k])) << (8 * k);
      }
    }
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53ULL;
    return h ^ (h >> 29);
  }

  std::vector<std::pair<std::string, int>> entries_;
  std::vector<int> slots_;
  size_t mask_ = 0;
};

const KeyIndexTable& KeyIndex(TemplateVersion version) {
  static const auto* i2021 = new KeyIndexTable(v1::TEMPLATE_VERSION_V2021);
  static const auto* i2019 = new KeyIndexTable(v1::TEMPLATE_VERSION_V2019);
  return IsV2019(version) ? *i2019 : *i2021;
}

template <typename TableT>
int IndexOf(const TableT& table, TemplateVersion version, absl::string_view key) {
  int i = KeyIndex(version).Find(key);
  if (i >= 0 && i < table.cells_size() && table.cells(i).key() == key) return i;
  // Tables built some other way: search.
  for (int k = 0; k < table.cells_size(); ++k) {
    if (table.cells(k).key() == key) return k;
  }
  return -1;
}

}  // namespace

const v1::Cell* FindCell(const v1::AnnualReport& report, absl::string_view key) {
  const v1::Table& table = GetTable(report, TableOfKey(key));
  int i = IndexOf(table, report.version(), key);
  return i < 0 ? nullptr : &table.cells(i);
}

v1::Cell* FindMutableCell(v1::AnnualReport* report, absl::string_view key) {
  v1::Table* table = MutableTable(report, TableOfKey(key));
  int i = IndexOf(*table, report->version(), key);
  return i < 0 ? nullptr : table->mutable_cells(i);
}

void DropProvenance(v1::AnnualReport* report, google::protobuf::RepeatedPtrField<v1::Finding>* findings) {
  for (v1::Table* t : {report->mutable_table2(), report->mutable_table3(), report->mutable_table4()}) {
    t->clear_position();
    for (v1::Cell& cell : *t->mutable_cells()) {
      cell.clear_raw();
      cell.clear_position();
    }
  }
  report->clear_notes();
  report->clear_subtotals();
  report->clear_title_position();
  report->clear_fee_unit_position();
  for (v1::Section& s : *report->mutable_sections()) s.clear_position();
  DropFindingProvenance(findings);
}

void DropFindingProvenance(google::protobuf::RepeatedPtrField<v1::Finding>* findings) {
  for (v1::Finding& f : *findings) {
    v1::Finding kept;
    kept.set_rule_id(f.rule_id());
    kept.set_severity(f.severity());
    kept.set_outcome(f.outcome());
    f = std::move(kept);
  }
}

namespace {

// The messages DropProvenanceFromBytes looks inside; every other message is copied or skipped whole.
enum class WireKind { kReport, kTable, kCell, kSection, kNone };

// What becomes of field `number` of a `kind` message: skipped (it is provenance), copied as it is
// (kNone), or kept with its own provenance dropped (the kind to filter it as).
struct FieldAction {
  bool skip = false;
  WireKind inner = WireKind::kNone;
};

ABSL_ATTRIBUTE_ALWAYS_INLINE inline FieldAction ActionOf(WireKind kind, uint64_t number) {
  using v1::AnnualReport;
  switch (kind) {
    case WireKind::kReport:
      if (number == AnnualReport::kTitlePositionFieldNumber || number == AnnualReport::kFeeUnitPositionFieldNumber ||
          number == AnnualReport::kNotesFieldNumber || number == AnnualReport::kSubtotalsFieldNumber) {
        return {true};
      }
      if (number == AnnualReport::kTable2FieldNumber || number == AnnualReport::kTable3FieldNumber ||
          number == AnnualReport::kTable4FieldNumber) {
        return {false, WireKind::kTable};
      }
      if (number == AnnualReport::kSectionsFieldNumber) return {false, WireKind::kSection};
      return {};
    case WireKind::kTable:
      if (number == v1::Table::kPositionFieldNumber) return {true};
      if (number == v1::Table::kCellsFieldNumber) return {false, WireKind::kCell};
      return {};
    case WireKind::kCell:
      if (number == v1::Cell::kRawFieldNumber || number == v1::Cell::kPositionFieldNumber) return {true};
      return {};
    case WireKind::kSection:
      if (number == v1::Section::kPositionFieldNumber) return {true};
      return {};
    case WireKind::kNone:
      return {};
  }
  return {};
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool ReadVarint(const char** p, const char* end, uint64_t* value) {
  if (*p < end && static_cast<uint8_t>(**p) < 0x80) {  // most tags, lengths and counts take one byte
    *value = static_cast<uint8_t>(*(*p)++);
    return true;
  }
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *p < end; shift += 7) {
    uint8_t byte = static_cast<uint8_t>(*(*p)++);
    v |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if (byte < 0x80) {
      *value = v;
      return true;
    }
  }
  return false;
}

// Writes `v` as a varint at `to` (room for 10 bytes); returns the bytes written.
size_t EncodeVarint(uint64_t v, char* to) {
  size_t n = 0;
  while (v >= 0x80) {
    to[n++] = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  to[n++] = static_cast<char>(v);
  return n;
}

// Appends field `tag` of a length-delimited `payload`.
void AppendLengthDelimited(uint64_t tag, absl::string_view payload, std::string* out) {
  char head[20];
  size_t n = EncodeVarint(tag, head);
  n += EncodeVarint(payload.size(), head + n);
  out->append(head, n);
  out->append(payload.data(), payload.size());
}

// Reads the field at *p: its tag, for a length-delimited field its payload [*payload, *p), and for a varint
// its value (into *varint when not null); moves *p past it. False when the bytes are not a well-formed field
// (field number 0 and groups included, as a parse refuses them).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool NextField(const char** p, const char* end, uint64_t* tag, const char** payload,
                                                   uint64_t* varint = nullptr) {
  *payload = nullptr;
  if (!ReadVarint(p, end, tag) || (*tag >> 3) == 0) return false;
  switch (*tag & 7) {
    case 0: {
      uint64_t value;
      if (!ReadVarint(p, end, &value)) return false;
      if (varint != nullptr) *varint = value;
      return true;
    }
    case 1:
      if (end - *p < 8) return false;
      *p += 8;
      return true;
    case 5:
      if (end - *p < 4) return false;
      *p += 4;
      return true;
    case 2: {
      uint64_t length = 0;
      if (!ReadVarint(p, end, &length) || length > static_cast<uint64_t>(end - *p)) return false;
      *payload = *p;
      *p += length;
      return true;
    }
    default:
      return false;  // groups: none of these messages has one
  }
}

// Appends the fields of the `kind` message in [p, end) to `*out`, provenance left out. Fields copied as
// they are go in runs, one append each. `scratch` holds one reusable buffer per nesting level below this
// one. False when the bytes are not a well-formed encoding.
bool FilterFields(const char* p, const char* end, WireKind kind, std::string* out, std::string* scratch) {
  const char* run = p;  // the start of the fields copied as they are since the last one that was not
  while (p < end) {
    const char* field = p;
    uint64_t tag = 0;
    const char* payload = nullptr;
    if (!NextField(&p, end, &tag, &payload)) return false;
    FieldAction action = ActionOf(kind, tag >> 3);
    if (!action.skip && (action.inner == WireKind::kNone || payload == nullptr)) continue;
    if (field > run) out->append(run, static_cast<size_t>(field - run));
    run = p;
    if (action.skip) continue;
    // A message kept with its own provenance dropped: it shrinks, so its length is written anew. A cell's
    // or a section's provenance fields have its highest numbers, and serialisers write fields in number
    // order: what stays is then a prefix of the message, copied without a scratch buffer.
    if (action.inner == WireKind::kCell || action.inner == WireKind::kSection) {
      const char* kept_end = nullptr;
      bool prefix = true;
      for (const char* q = payload; q < p;) {
        const char* inner_field = q;
        uint64_t inner_tag = 0;
        const char* inner_payload = nullptr;
        if (!NextField(&q, p, &inner_tag, &inner_payload)) return false;
        if (ActionOf(action.inner, inner_tag >> 3).skip) {
          if (kept_end == nullptr) kept_end = inner_field;
        } else if (kept_end != nullptr) {
          prefix = false;
          break;
        }
      }
      if (prefix) {
        AppendLengthDelimited(tag, absl::string_view(payload, static_cast<size_t>((kept_end ? kept_end : p) - payload)), out);
        continue;
      }
    }
    std::string& inner = scratch[0];
    inner.clear();
    if (!FilterFields(payload, p, action.inner, &inner, scratch + 1)) return false;
    AppendLengthDelimited(tag, inner, out);
  }
  if (end > run) out->append(run, static_cast<size_t>(end - run));
  return true;
}

}  // namespace

absl::StatusOr<ReportIdentity> ReportIdentityFromBytes(absl::string_view serialized) {
  ReportIdentity identity;
  const char* p = serialized.data();
  const char* end = p + serialized.size();
  // Every field is walked: a field written twice counts by its last value, as a parse would take it.
  while (p < end) {
    uint64_t tag = 0, value = 0;
    const char* payload = nullptr;
    if (!NextField(&p, end, &tag, &payload, &value)) {
      return absl::InvalidArgumentError("the bytes are not a well-formed serialised gongkai.v1.AnnualReport");
    }
    if (tag == (static_cast<uint64_t>(v1::AnnualReport::kReportYearFieldNumber) << 3)) {  // a varint
      identity.report_year = static_cast<int>(static_cast<int32_t>(value));
    } else if (tag == (static_cast<uint64_t>(v1::AnnualReport::kAgencyFieldNumber) << 3 | 2)) {
      identity.agency.assign(payload, static_cast<size_t>(p - payload));
    }
  }
  return identity;
}

absl::StatusOr<std::string> DropProvenanceFromBytes(absl::string_view serialized) {
  std::string out;
  out.reserve(serialized.size());
  std::string scratch[3];  // report → table or section → cell
  if (!FilterFields(serialized.data(), serialized.data() + serialized.size(), WireKind::kReport, &out, scratch)) {
    return absl::InvalidArgumentError("the bytes are not a well-formed serialised gongkai.v1.AnnualReport");
  }
  return out;
}

}  // namespace gongkai
