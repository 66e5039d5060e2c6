// batch.copied: two organs in one batch filed nearly the same narrative. MinHash banding finds the
// candidate pairs, so 15,000 reports are not compared pair by pair; each candidate is confirmed by Jaccard.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/validator/registry.h"
#include "services/validator/similarity.h"

namespace gongkai::validator {
namespace {


void CheckBatchCopied(const BatchContext& batch, std::vector<FindingSink>& sinks) {
  const std::vector<const v1::AnnualReport*>& reports = batch.reports;
  // Unsorted, repeats kept: the signatures do not need more, and only candidate pairs need sets.
  std::vector<std::vector<uint64_t>>& sets = batch.narrative_hashes;
  std::vector<bool> is_set(reports.size(), false);
  auto set_of = [&](size_t i) -> const std::vector<uint64_t>& {
    if (!is_set[i]) MakeSet(&sets[i]);
    is_set[i] = true;
    return sets[i];
  };
  for (const auto& [i, j] : CandidatePairs(sets, copied::kBands, copied::kRows, copied::kMinEstimate)) {
    const v1::AnnualReport& a = *reports[i];
    const v1::AnnualReport& b = *reports[j];
    // The same organ in another year is history.copied's business.
    if (!a.agency().empty() && a.agency() == b.agency()) continue;
    double sim = Jaccard(set_of(i), set_of(j));
    if (sim < copied::kThreshold) continue;
    for (auto [self, other] : {std::pair{i, j}, std::pair{j, i}}) {
      const v1::AnnualReport& o = *reports[other];
      std::string name = o.agency().empty() ? o.metadata().file_name() : o.agency();
      v1::Finding& f = sinks[self].Fail(
          absl::StrCat("正文与同批“", name, "”的报告相似度为 ", static_cast<int>(sim * 100), "%，内容雷同"),
          absl::StrCat("the narrative is ", static_cast<int>(sim * 100), "% the same as the report of ", name,
                       " in this batch"));
      (*f.mutable_args())["other_agency"] = o.agency();
      (*f.mutable_args())["other_document"] = o.metadata().document_id();
      (*f.mutable_args())["other_file"] = o.metadata().file_name();
      (*f.mutable_args())["similarity"] = absl::StrCat(sim);
    }
  }
}

}  // namespace

void RegisterBatchRules(RuleRegistry& registry) {
  registry.Add({"batch.copied", v1::SEVERITY_WARNING, "同一批次中两个机关的正文基本相同",
                "two organs in one batch filed nearly the same narrative", nullptr, CheckBatchCopied});
}

}  // namespace gongkai::validator
