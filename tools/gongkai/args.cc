#include "tools/gongkai/args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai::cli {

absl::StatusOr<Args> ParseArgs(int argc, char** argv, int begin, const ArgSpec& spec) {
  Args args;
  bool flags_done = false;
  for (int i = begin; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (flags_done || !absl::StartsWith(arg, "--") || arg == "-") {
      args.positional.emplace_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    arg.remove_prefix(2);
    std::string name(arg);
    std::string value;
    bool has_value = false;
    size_t eq = arg.find('=');
    if (eq != absl::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
      has_value = true;
    }
    if (spec.switches.count(name)) {
      if (has_value) return absl::InvalidArgumentError(absl::StrCat("--", name, " takes no value"));
      args.switches.insert(name);
    } else if (spec.with_value.count(name)) {
      if (!has_value) {
        if (i + 1 >= argc) return absl::InvalidArgumentError(absl::StrCat("--", name, " needs a value"));
        value = argv[++i];
      }
      args.values[name] = value;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", name));
    }
  }
  return args;
}

}  // namespace gongkai::cli
