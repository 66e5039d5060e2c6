#include "services/validator/similarity.h"

#include <algorithm>
#include <cmath>
#include <thread>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "common/text.h"

namespace gongkai::validator {
namespace {

// SplitMix64: a fast, well-mixed 64-bit hash step.
inline uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

std::string NarrativeOf(const v1::AnnualReport& report) {
  std::string all;
  for (const v1::Section& s : report.sections()) AppendNormalizedLabel(s.text(), &all);
  std::string out;
  out.reserve(all.size());
  for (char c : all) {
    if (c < '0' || c > '9') out.push_back(c);
  }
  return out;
}

std::vector<uint64_t> ShingleHashes(absl::string_view text, int k) {
  std::vector<char32_t> cps;
  cps.reserve(text.size() / 3 + 1);  // mostly three-byte CJK code points
  size_t pos = 0;
  while (pos < text.size()) cps.push_back(NextCodepoint(text, &pos));
  std::vector<uint64_t> out;
  if (static_cast<int>(cps.size()) < k) return out;
  out.reserve(cps.size());
  for (size_t i = 0; i + k <= cps.size(); ++i) {
    // Code points have 21 bits: three fit in one word, so a 5-shingle takes two mixing steps, not five.
    uint64_t h = 0, word = 0;
    int in_word = 0;
    for (int j = 0; j < k; ++j) {
      word = (word << 21) | cps[i + j];
      if (++in_word == 3) {
        h = Mix(h ^ word);
        word = 0;
        in_word = 0;
      }
    }
    if (in_word > 0) h = Mix(h ^ word ^ (static_cast<uint64_t>(in_word) << 63));
    out.push_back(h);
  }
  return out;
}

void MakeSet(std::vector<uint64_t>* hashes) {
  std::sort(hashes->begin(), hashes->end());
  hashes->erase(std::unique(hashes->begin(), hashes->end()), hashes->end());
}

std::vector<uint64_t> Shingles(absl::string_view text, int k) {
  std::vector<uint64_t> out = ShingleHashes(text, k);
  MakeSet(&out);
  return out;
}

double Jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] == b[j]) {
      ++common;
      ++i;
      ++j;
    } else if (a[i] < b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::vector<uint64_t> Signature(const std::vector<uint64_t>& shingles, int n) {
  // One permutation hashing (Li, Owen and Zhang 2012): one hash per shingle picks its bin and its rank in
  // that bin, where classic MinHash computes n hashes per shingle (n times the work for the same estimate).
  constexpr uint64_t kEmpty = ~0ULL;
  std::vector<uint64_t> bins(static_cast<size_t>(n), kEmpty);
  if (shingles.empty()) return bins;
  const uint64_t count = static_cast<uint64_t>(n);
  for (uint64_t shingle : shingles) {
    uint64_t v = Mix(shingle ^ 0x5851F42D4C957F2DULL);
    size_t bin = static_cast<size_t>(((v >> 32) * count) >> 32);
    if (v < bins[bin]) bins[bin] = v;
  }
  // Optimal densification (Shrivastava 2017): an empty bin borrows the value of the first filled bin of its
  // own fixed pseudo-random sequence of bins, so two sets agree on it with probability equal to their Jaccard.
  std::vector<uint64_t> signature = bins;
  for (size_t i = 0; i < bins.size(); ++i) {
    if (bins[i] != kEmpty) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      uint64_t r = Mix((static_cast<uint64_t>(i) << 32) ^ attempt);
      size_t j = static_cast<size_t>(((r >> 32) * count) >> 32);
      if (bins[j] != kEmpty) {
        signature[i] = bins[j];
        break;
      }
    }
  }
  return signature;
}

std::vector<std::pair<size_t, size_t>> CandidatePairs(const std::vector<std::vector<uint64_t>>& sets, int bands,
                                                      int rows, double min_estimate) {
  const int n_hashes = bands * rows;
  std::vector<std::vector<uint64_t>> signatures;
  signatures.reserve(sets.size());
  for (const std::vector<uint64_t>& set : sets) {
    signatures.push_back(set.empty() ? std::vector<uint64_t>() : Signature(set, n_hashes));
  }
  std::vector<std::pair<size_t, size_t>> pairs;
  for (int b = 0; b < bands; ++b) {
    absl::flat_hash_map<uint64_t, std::vector<size_t>> buckets;
    for (size_t d = 0; d < signatures.size(); ++d) {
      if (sets[d].empty()) continue;
      uint64_t key = static_cast<uint64_t>(b);
      for (int r = 0; r < rows; ++r) key = Mix(key ^ signatures[d][b * rows + r]);
      buckets[key].push_back(d);
    }
    for (const auto& [key, docs] : buckets) {
      // A bucket of thousands means the same boilerplate everywhere; its pairs are still candidates but
      // bounded: each document is paired with the first 64 in the bucket.
      for (size_t i = 0; i < docs.size(); ++i) {
        for (size_t j = i + 1; j < docs.size() && j < i + 65; ++j) pairs.emplace_back(docs[i], docs[j]);
      }
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  if (min_estimate > 0) {
    const int needed = static_cast<int>(std::ceil(min_estimate * n_hashes));
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                               [&](const std::pair<size_t, size_t>& p) {
                                 int equal = 0;
                                 for (int h = 0; h < n_hashes; ++h) equal += signatures[p.first][h] == signatures[p.second][h];
                                 return equal < needed;
                               }),
                pairs.end());
  }
  return pairs;
}

std::vector<uint64_t> NarrativeHashes(const v1::AnnualReport& report) {
  std::string narrative = NarrativeOf(report);
  if (narrative.size() < copied::kMinNarrativeBytes) return {};
  return ShingleHashes(narrative);
}

std::string NarrativeSignature(const v1::AnnualReport& report) {
  return NarrativeSignatureOf(NarrativeHashes(report), report.agency());
}

std::string NarrativeSignatureOf(const std::vector<uint64_t>& narrative_hashes, absl::string_view agency) {
  if (narrative_hashes.empty()) return {};
  std::vector<uint64_t> signature = Signature(narrative_hashes, copied::kJobEntries);
  std::string bytes(signature.size() * 2, '\0');
  for (size_t i = 0; i < signature.size(); ++i) {
    // A bin's minimum has few high bits set; its re-mixed low bits are uniform.
    uint64_t v = Mix(signature[i]);
    bytes[i * 2] = static_cast<char>(v & 0xFF);
    bytes[i * 2 + 1] = static_cast<char>((v >> 8) & 0xFF);
  }
  bytes.append(agency.data(), agency.size());
  return bytes;
}

bool JobSignatures::Add(absl::string_view bytes) {
  constexpr size_t kEntries = copied::kJobEntries;
  if (bytes.empty()) {
    entries_.resize(entries_.size() + kEntries, 0);
    organ_.push_back(kNone);
    return true;
  }
  if (bytes.size() < kEntries * 2) return false;
  size_t at = entries_.size();
  entries_.resize(at + kEntries);
  for (size_t i = 0; i < kEntries; ++i) {
    entries_[at + i] = static_cast<uint16_t>(static_cast<unsigned char>(bytes[i * 2]) |
                                             static_cast<unsigned char>(bytes[i * 2 + 1]) << 8);
  }
  absl::string_view agency = bytes.substr(kEntries * 2);
  if (agency.empty()) {
    organ_.push_back(kUnnamed);
  } else {
    organ_.push_back(organ_ids_.try_emplace(std::string(agency), static_cast<int32_t>(organ_ids_.size())).first->second);
  }
  return true;
}

double JobSignatures::Estimate(size_t i, size_t j) const {
  const uint16_t* a = &entries_[i * copied::kJobEntries];
  const uint16_t* b = &entries_[j * copied::kJobEntries];
  int equal = 0;
  for (int k = 0; k < copied::kJobEntries; ++k) equal += a[k] == b[k];
  return static_cast<double>(equal) / copied::kJobEntries;
}

bool JobSignatures::AtLeastEqual(size_t i, size_t j, int needed) const {
  const uint16_t* a = &entries_[i * copied::kJobEntries];
  const uint16_t* b = &entries_[j * copied::kJobEntries];
  // Blocks of 32 entries (which the compiler vectorises), stopping once `needed` is out of reach.
  constexpr int kBlock = 32;
  int equal = 0;
  for (int start = 0; start < copied::kJobEntries; start += kBlock) {
    int in_block = 0;
    for (int k = start; k < start + kBlock; ++k) in_block += a[k] == b[k];
    equal += in_block;
    if (equal + (copied::kJobEntries - start - kBlock) < needed) return false;
  }
  return equal >= needed;
}

std::vector<NarrativePair> CopiedCandidates(const JobSignatures& signatures, int max_per_report, int64_t* left_out,
                                            int threads) {
  const int needed = static_cast<int>(std::ceil(copied::kJobMinEstimate * copied::kJobEntries));
  std::vector<uint32_t> order;
  for (size_t d = 0; d < signatures.size(); ++d) {
    if (signatures.compared(d)) order.push_back(static_cast<uint32_t>(d));
  }
  // Pairs are screened as banding meets them (the pairs of boilerplate would not fit in memory otherwise);
  // those that pass are kept once. The bands are shared out among the machine's cores.
  auto screen_bands = [&](int first_band, int step, absl::flat_hash_set<uint64_t>* passed) {
    std::vector<std::pair<uint64_t, uint32_t>> keyed(order.size());
    for (int band = first_band; band < copied::kJobBands; band += step) {
      // A band's buckets: the reports sorted by their band key (one sort, no map of vectors).
      for (size_t n = 0; n < order.size(); ++n) {
        uint64_t key = static_cast<uint64_t>(band);
        for (int r = 0; r < copied::kJobRows; ++r) key = Mix(key ^ signatures.entry(order[n], band * copied::kJobRows + r));
        keyed[n] = {key, order[n]};
      }
      std::sort(keyed.begin(), keyed.end());
      for (size_t begin = 0; begin < keyed.size();) {
        size_t end = begin + 1;
        while (end < keyed.size() && keyed[end].first == keyed[begin].first) ++end;
        // Each report is paired with the next 64 of its bucket, as in CandidatePairs.
        for (size_t i = begin; i < end; ++i) {
          for (size_t j = i + 1; j < end && j < i + 65; ++j) {
            uint32_t a = keyed[i].second, b = keyed[j].second;  // a < b: equal keys sort by report
            // The same organ in another year (or filed twice) is history.copied's business, as in the rule.
            if (signatures.same_organ(a, b)) continue;
            uint64_t pair_key = static_cast<uint64_t>(a) << 32 | b;
            if (passed->contains(pair_key)) continue;
            if (signatures.AtLeastEqual(a, b, needed)) passed->insert(pair_key);
          }
        }
        begin = end;
      }
    }
  };
  if (threads <= 0) {
    threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
    if (order.size() < copied::kMinSignaturesForThreads) threads = 1;
  }
  std::vector<absl::flat_hash_set<uint64_t>> passed_by_thread(static_cast<size_t>(threads));
  {
    std::vector<std::thread> workers;
    for (int t = 1; t < threads; ++t) workers.emplace_back(screen_bands, t, threads, &passed_by_thread[static_cast<size_t>(t)]);
    screen_bands(0, threads, &passed_by_thread[0]);
    for (std::thread& w : workers) w.join();
  }
  absl::flat_hash_set<uint64_t> passed = std::move(passed_by_thread[0]);
  for (size_t t = 1; t < passed_by_thread.size(); ++t) passed.insert(passed_by_thread[t].begin(), passed_by_thread[t].end());
  std::vector<NarrativePair> all;
  all.reserve(passed.size());
  for (uint64_t key : passed) {
    size_t a = static_cast<size_t>(key >> 32), b = static_cast<size_t>(key & 0xFFFFFFFF);
    all.push_back({a, b, signatures.Estimate(a, b)});
  }
  // The closest pairs first (ties in report order), so that a report in a crowd keeps its nearest copies.
  std::sort(all.begin(), all.end(), [](const NarrativePair& x, const NarrativePair& y) {
    return std::tie(y.estimate, x.a, x.b) < std::tie(x.estimate, y.a, y.b);
  });
  std::vector<int> taken(signatures.size(), 0);
  std::vector<NarrativePair> kept;
  int64_t dropped = 0;
  for (const NarrativePair& p : all) {
    if (taken[p.a] >= max_per_report || taken[p.b] >= max_per_report) {
      ++dropped;
      continue;
    }
    ++taken[p.a];
    ++taken[p.b];
    kept.push_back(p);
  }
  std::sort(kept.begin(), kept.end(),
            [](const NarrativePair& x, const NarrativePair& y) { return std::tie(x.a, x.b) < std::tie(y.a, y.b); });
  if (left_out != nullptr) *left_out = dropped;
  return kept;
}

}  // namespace gongkai::validator
