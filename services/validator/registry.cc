#include "services/validator/registry.h"

#include <cstdlib>
#include <cstdio>

namespace gongkai::validator {

void RuleRegistry::Add(Rule rule) {
  if (Find(rule.id) != nullptr) {
    std::fprintf(stderr, "rule %s registered twice\n", rule.id.c_str());
    std::abort();
  }
  rules_.push_back(std::move(rule));
}

const Rule* RuleRegistry::Find(absl::string_view id) const {
  for (const Rule& rule : rules_) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

const RuleRegistry& DefaultRegistry() {
  static const RuleRegistry* registry = [] {
    auto* r = new RuleRegistry();
    RegisterStructureRules(*r);
    RegisterArithmeticRules(*r);
    RegisterTable2Rules(*r);
    RegisterTextRules(*r);
    RegisterHistoryRules(*r);
    RegisterBatchRules(*r);
    return r;
  }();
  return *registry;
}

}  // namespace gongkai::validator
