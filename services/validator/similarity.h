// Near-duplicate narrative detection: character shingles, Jaccard similarity, and MinHash with banding
// (locality-sensitive hashing) so that a batch of 15,000 reports is compared without checking every pair.
#ifndef GONGKAI_SERVICES_VALIDATOR_SIMILARITY_H_
#define GONGKAI_SERVICES_VALIDATOR_SIMILARITY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::validator {

// The narrative of a report as compared: the sections' text, normalised (common/text.h), digits removed
// (figures change from year to year; copied wording does not).
std::string NarrativeOf(const gongkai::v1::AnnualReport& report);

// The 64-bit hash of every k-code-point shingle of the text, in text order, repeats kept: enough for
// Signature, which neither order nor repeats change, and cheaper than Shingles.
std::vector<uint64_t> ShingleHashes(absl::string_view text, int k = 5);

// Sorted, distinct 64-bit hashes of the text's k-code-point shingles (ShingleHashes as a set, for Jaccard).
std::vector<uint64_t> Shingles(absl::string_view text, int k = 5);

// Turns ShingleHashes' list into Shingles' set, in place.
void MakeSet(std::vector<uint64_t>* hashes);

// |a ∩ b| / |a ∪ b| of two sorted shingle sets; 0 when both are empty.
double Jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// The MinHash signature of a shingle set (or of ShingleHashes' list, which gives the same signature): `n` values, one per bin of one permutation hashing, empty bins
// densified, so that two sets' signatures agree at a position with probability equal to their Jaccard.
// All entries are ~0 for an empty set. Deterministic.
std::vector<uint64_t> Signature(const std::vector<uint64_t>& shingles, int n);

// Pairs (i, j), i < j, of texts whose shingle sets probably have Jaccard >= about 0.5, found by MinHash
// (Signature with `bands` × `rows` entries) and banding; the caller confirms each with Jaccard. Pairs whose MinHash
// estimate of the similarity (the share of equal signature entries) is below `min_estimate` are dropped
// first: reports sharing boilerplate land in the same buckets by the thousand, and the estimate costs 64
// comparisons where Jaccard walks both sets. Deterministic.
std::vector<std::pair<size_t, size_t>> CandidatePairs(const std::vector<std::vector<uint64_t>>& shingle_sets,
                                                      int bands = 16, int rows = 4, double min_estimate = 0.0);

// How batch.copied compares narratives, shared by the rule (one batch) and PairNarratives (a whole job,
// from signatures the validator answered batch by batch).
namespace copied {
constexpr double kThreshold = 0.8;           // Jaccard of 5-code-point shingles
constexpr size_t kMinNarrativeBytes = 240;   // shorter narratives are not compared
constexpr int kBands = 16, kRows = 4;        // 64 signature entries
// The MinHash estimate (64 hashes, standard error about 0.05 near 0.8) screens out pairs far below the
// threshold before the exact Jaccard; 0.25 below it is five standard errors.
constexpr double kMinEstimate = kThreshold - 0.25;
// A job's reports are compared from the signatures the validator answered batch by batch, and every
// candidate costs the caller a call to confirm it: the signature is longer (256 entries, 16 bits each:
// standard error about 0.025 near 0.8) so that the screen can be tighter (0.7, four standard errors) and
// the many pairs of narratives that share boilerplate (Jaccard 0.5 to 0.7) are screened out in process.
constexpr int kJobEntries = 256;
constexpr int kJobBands = 36, kJobRows = 7;  // a pair at 0.8 shares a band with probability 0.99998
constexpr double kJobMinEstimate = 0.7;
constexpr int kMaxPairsPerReport = 8;             // candidate pairs a report takes part in, unless asked otherwise
constexpr size_t kMinSignaturesForThreads = 2000;  // fewer take ~15 ms to pair: not worth a thread
}  // namespace copied

// A report's narrative signature as bytes, for comparing reports validated in different calls: a MinHash
// signature of the shingles batch.copied compares (copied::kJobEntries little-endian 16-bit entries, each
// the low bits of a re-mixed bin minimum), then the organ's name (batch.copied never pairs an organ with
// itself). Empty when the narrative is shorter than copied::kMinNarrativeBytes.
std::string NarrativeSignature(const gongkai::v1::AnnualReport& report);
// NarrativeSignature from the report's narrative hashes (NarrativeHashes) and organ.
std::string NarrativeSignatureOf(const std::vector<uint64_t>& narrative_hashes, absl::string_view agency);
// ShingleHashes of the report's NarrativeOf, or none when it is shorter than copied::kMinNarrativeBytes.
std::vector<uint64_t> NarrativeHashes(const gongkai::v1::AnnualReport& report);

// The narrative signatures of a job's reports, decoded into one table (512 bytes a report).
class JobSignatures {
 public:
  // Adds report number size() from NarrativeSignature's bytes (empty: a report not compared). False, with
  // nothing added, when `bytes` is too short to hold a signature.
  bool Add(absl::string_view bytes);
  size_t size() const { return organ_.size(); }
  // Whether report i has a signature.
  bool compared(size_t i) const { return organ_[i] != kNone; }
  // Whether reports i and j were filed by one (named) organ.
  bool same_organ(size_t i, size_t j) const { return organ_[i] >= 0 && organ_[i] == organ_[j]; }
  // Entry k of report i's signature.
  uint16_t entry(size_t i, int k) const { return entries_[i * copied::kJobEntries + static_cast<size_t>(k)]; }
  // The share of equal entries of reports i and j (both compared): MinHash's estimate of their Jaccard.
  double Estimate(size_t i, size_t j) const;
  // Whether at least `needed` entries of reports i and j are equal (stops as soon as the answer is known).
  bool AtLeastEqual(size_t i, size_t j, int needed) const;

 private:
  static constexpr int32_t kNone = -2, kUnnamed = -1;
  std::vector<uint16_t> entries_;  // copied::kJobEntries per report, zeros for one not compared
  std::vector<int32_t> organ_;     // an id per organ name; kUnnamed, or kNone when not compared
  absl::flat_hash_map<std::string, int32_t> organ_ids_;
};

// A candidate pair of a job-wide comparison: report numbers, a < b.
struct NarrativePair {
  size_t a = 0, b = 0;
  double estimate = 0;  // JobSignatures::Estimate of the two
};
// batch.copied's candidate pairs among a job's signatures (a pair of one organ is never a candidate):
// banded, each pair screened as it is met at copied::kJobMinEstimate, the closest first kept: each report
// takes part in at most `max_per_report` pairs (the pairs of a narrative that thousands share are
// bounded), `*left_out` counts the candidates dropped for it. Ordered by (a, b). Deterministic, whatever
// the number of `threads` the bands are shared among (0: the machine's cores, from
// copied::kMinSignaturesForThreads reports).
std::vector<NarrativePair> CopiedCandidates(const JobSignatures& signatures, int max_per_report, int64_t* left_out,
                                            int threads = 0);

}  // namespace gongkai::validator

#endif  // GONGKAI_SERVICES_VALIDATOR_SIMILARITY_H_
