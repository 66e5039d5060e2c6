// The rule registry: every rule of the validator, by id. Each rule family lives in rules/<family>.cc and
// adds its rules in its Register… function; adding a rule means adding it there, with its tests.
#ifndef GONGKAI_SERVICES_VALIDATOR_REGISTRY_H_
#define GONGKAI_SERVICES_VALIDATOR_REGISTRY_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "services/validator/rule.h"

namespace gongkai::validator {

class RuleRegistry {
 public:
  // Adds a rule; its id must be new.
  void Add(Rule rule);
  const std::vector<Rule>& rules() const { return rules_; }
  // The rule with `id`, or nullptr.
  const Rule* Find(absl::string_view id) const;

 private:
  std::vector<Rule> rules_;
};

// The families (rules/*.cc).
void RegisterStructureRules(RuleRegistry& registry);   // structure.*, cell.*
void RegisterArithmeticRules(RuleRegistry& registry);  // t3.*, t4.*
void RegisterTable2Rules(RuleRegistry& registry);      // t2.*
void RegisterTextRules(RuleRegistry& registry);        // year.consistent, text.table_agree, section5/6
void RegisterHistoryRules(RuleRegistry& registry);     // history.*
void RegisterBatchRules(RuleRegistry& registry);       // batch.*

// Every rule, built once. Thread-safe.
const RuleRegistry& DefaultRegistry();

}  // namespace gongkai::validator

#endif  // GONGKAI_SERVICES_VALIDATOR_REGISTRY_H_
