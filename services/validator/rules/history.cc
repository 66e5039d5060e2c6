// history.carry, history.in_force, history.spike, history.copied: this year's report against last year's
// report of the same organ, when it is known (given in the request or found in the batch).
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/schema.h"
#include "services/validator/registry.h"
#include "services/validator/similarity.h"

namespace gongkai::validator {
namespace {

using v1::AnnualReport;

constexpr double kCopiedThreshold = 0.8;  // Jaccard of 5-character shingles

void CheckCarry(const RuleContext& ctx, FindingSink& sink) {
  if (ctx.previous == nullptr || !ctx.report.table3().present() || !ctx.previous->table3().present()) return;
  const AnnualReport& r = ctx.report;
  const AnnualReport& p = *ctx.previous;
  std::vector<std::string> unverifiable;
  for (const std::string& col : Table3Columns()) {
    std::string now_key = absl::StrCat("t3.carried_over.", col);
    std::string then_key = absl::StrCat("t3.carried_forward.", col);
    std::optional<int64_t> now = IntValue(r, now_key), then = IntValue(p, then_key);
    if (!now || !then) {
      unverifiable.push_back(ColumnName(col));
      continue;
    }
    if (*now == *then) continue;
    v1::Finding& f = sink.Fail(
        absl::StrCat("表三“", ColumnName(col), "”列：本年“上年结转”为 ", *now, "，但上年报告“结转下年度继续办理”为 ", *then),
        absl::StrCat("carried_over.", col, " is ", *now, " but last year's carried_forward was ", *then));
    AddCell(&f, r, now_key);
    f.set_expected(absl::StrCat(*then));
    (*f.mutable_args())["previous_cell"] = then_key;
    (*f.mutable_args())["previous_year"] = absl::StrCat(p.report_year());
  }
  if (!unverifiable.empty()) {
    sink.Unverifiable(absl::StrCat("有 ", unverifiable.size(), " 列因缺少数值无法与上年核对结转"),
                      absl::StrCat(unverifiable.size(), " columns could not be checked against last year"));
  }
}

void CheckInForce(const RuleContext& ctx, FindingSink& sink) {
  if (ctx.previous == nullptr) return;
  const AnnualReport& r = ctx.report;
  const AnnualReport& p = *ctx.previous;
  if (r.version() != v1::TEMPLATE_VERSION_V2021 || p.version() != v1::TEMPLATE_VERSION_V2021) return;
  for (const char* row : {"t2.rules", "t2.normative_docs"}) {
    std::optional<int64_t> now = IntValue(r, absl::StrCat(row, ".in_force"));
    std::optional<int64_t> issued = IntValue(r, absl::StrCat(row, ".issued"));
    std::optional<int64_t> repealed = IntValue(r, absl::StrCat(row, ".repealed"));
    std::optional<int64_t> then = IntValue(p, absl::StrCat(row, ".in_force"));
    if (!now || !issued || !repealed || !then) {
      sink.Unverifiable(absl::StrCat("“", RowName(row), "”现行有效件数因缺少数值无法与上年核对"),
                        absl::StrCat(row, ".in_force cannot be checked against last year: cells missing"));
      continue;
    }
    int64_t expected = *then + *issued - *repealed;
    if (expected == *now) continue;
    v1::Finding& f = sink.Fail(
        absl::StrCat("“", RowName(row), "”现行有效件数为 ", *now, "，按上年 ", *then, " + 本年制发 ", *issued, " − 本年废止 ",
                     *repealed, " 应为 ", expected),
        absl::StrCat(row, ".in_force is ", *now, " but last year's ", *then, " + issued ", *issued, " - repealed ",
                     *repealed, " = ", expected));
    AddCell(&f, r, absl::StrCat(row, ".in_force"));
    AddCell(&f, r, absl::StrCat(row, ".issued"));
    AddCell(&f, r, absl::StrCat(row, ".repealed"));
    f.set_expected(absl::StrCat(expected));
  }
}

void CheckSpike(const RuleContext& ctx, FindingSink& sink) {
  if (ctx.previous == nullptr) return;
  const AnnualReport& r = ctx.report;
  const AnnualReport& p = *ctx.previous;
  for (const char* key : {"t3.received_new.total", "t3.total.total", "t4.review.total", "t4.litigation_direct.total",
                          "t4.litigation_after_review.total", "t2.licensing.decisions", "t2.punishment.decisions",
                          "t2.coercion.decisions"}) {
    std::optional<int64_t> now = IntValue(r, key), then = IntValue(p, key);
    if (!now || !then) continue;
    int64_t hi = std::max(*now, *then), lo = std::min(*now, *then);
    if (hi < 20 || hi <= 5 * lo) continue;  // small figures move a lot without meaning anything
    v1::Finding& f = sink.Fail(absl::StrCat("“", key, "”由上年的 ", *then, " 变为 ", *now, "，变化超过五倍，请核实"),
                               absl::StrCat(key, " went from ", *then, " to ", *now, ", more than fivefold"));
    AddCell(&f, r, key);
    (*f.mutable_args())["previous"] = absl::StrCat(*then);
  }
}

void CheckCopied(const RuleContext& ctx, FindingSink& sink) {
  if (ctx.previous == nullptr) return;
  // This year's shingles: from the batch's narrative hashes when it has them (empty for a narrative that is
  // too short: the same bound), else from the narrative.
  std::vector<uint64_t> now;
  if (ctx.narrative_hashes != nullptr) {
    now = *ctx.narrative_hashes;
    MakeSet(&now);
  } else {
    std::string text = NarrativeOf(ctx.report);
    if (text.size() >= copied::kMinNarrativeBytes) now = Shingles(text);
  }
  if (now.empty()) return;
  std::string then = NarrativeOf(*ctx.previous);
  if (then.size() < copied::kMinNarrativeBytes) return;
  double j = Jaccard(now, Shingles(then));
  if (j < kCopiedThreshold) return;
  v1::Finding& f = sink.Fail(
      absl::StrCat("正文与上年（", ctx.previous->report_year(), " 年）报告的相似度为 ", static_cast<int>(j * 100),
                   "%，内容雷同，可能照搬往年报告"),
      absl::StrCat("the narrative is ", static_cast<int>(j * 100), "% the same as last year's report"));
  f.set_expected(absl::StrCat("similarity below ", static_cast<int>(kCopiedThreshold * 100), "%"));
  (*f.mutable_args())["similarity"] = absl::StrCat(j);
}

}  // namespace

void RegisterHistoryRules(RuleRegistry& registry) {
  registry.Add({"history.carry", v1::SEVERITY_ERROR, "本年“上年结转”等于上年报告的“结转下年度继续办理”（每列）",
                "this year's carried_over = last year's carried_forward (per column)", CheckCarry, nullptr});
  registry.Add({"history.in_force", v1::SEVERITY_WARNING, "现行有效件数 = 上年现行有效件数 + 本年制发 − 本年废止",
                "in_force = last year's in_force + issued - repealed", CheckInForce, nullptr});
  registry.Add({"history.spike", v1::SEVERITY_INFO, "关键数字较上年变化超过五倍", "a key figure changed more than fivefold",
                CheckSpike, nullptr});
  registry.Add({"history.copied", v1::SEVERITY_WARNING, "正文与本机关上年报告基本相同（内容雷同）",
                "the narrative is nearly the same as last year's report of the same organ", CheckCopied, nullptr});
}

}  // namespace gongkai::validator
