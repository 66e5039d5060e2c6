// Near-duplicate narrative detection: character shingles, Jaccard similarity, and MinHash with banding
// (locality-sensitive hashing) so that a batch of 15,000 reports is compared without checking every pair.
#ifndef GONGKAI_SERVICES_VALIDATOR_SIMILARITY_H_
#define GONGKAI_SERVICES_VALIDATOR_SIMILARITY_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

}  // namespace gongkai::validator

#endif  // GONGKAI_SERVICES_VALIDATOR_SIMILARITY_H_
