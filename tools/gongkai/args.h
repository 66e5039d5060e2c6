// Command-line arguments of one gongkai subcommand: --flag, --flag=value, --flag value, and positionals.
#ifndef GONGKAI_TOOLS_GONGKAI_ARGS_H_
#define GONGKAI_TOOLS_GONGKAI_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::cli {

// What a subcommand accepts: boolean switches and flags that take a value.
struct ArgSpec {
  std::set<std::string> switches;     // e.g. {"cells", "json"}
  std::set<std::string> with_value;   // e.g. {"parser"}
};

struct Args {
  std::set<std::string> switches;
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;

  bool Has(absl::string_view name) const { return switches.count(std::string(name)) > 0; }
  std::string Value(absl::string_view name, absl::string_view fallback = {}) const {
    auto it = values.find(std::string(name));
    return it == values.end() ? std::string(fallback) : it->second;
  }
};

// Parses argv[begin..argc). An unknown flag or a missing value is InvalidArgument naming it.
// "--" ends the flags.
absl::StatusOr<Args> ParseArgs(int argc, char** argv, int begin, const ArgSpec& spec);

}  // namespace gongkai::cli

#endif  // GONGKAI_TOOLS_GONGKAI_ARGS_H_
