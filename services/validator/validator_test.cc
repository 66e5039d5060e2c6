#include "services/validator/validator.h"

#include <climits>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/schema.h"
#include "services/validator/similarity.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tools/corpus/report_factory.h"
#include "tests/testing/status_matchers.h"

namespace gongkai::validator {
namespace {

using ::gongkai::testing::StatusIs;
using ::testing::HasSubstr;

int Count(const std::vector<v1::Finding>& findings, absl::string_view rule, v1::Outcome outcome = v1::OUTCOME_FAILED) {
  int n = 0;
  for (const auto& f : findings) n += f.rule_id() == rule && f.outcome() == outcome;
  return n;
}

TEST(Validator, AConsistentReportHasNoFinding) {
  for (uint32_t seed = 0; seed < 50; ++seed) {
    auto validator = Validator::Create();
    ASSERT_TRUE(validator.ok());
    std::vector<v1::Finding> findings = validator->Validate(corpus::ConsistentReport(seed));
    for (const auto& f : findings) ADD_FAILURE() << "seed " << seed << ": " << f.rule_id() << ": " << f.message_en();
  }
}

// Found by tests/fuzz/validator_fuzzer.cc: a caller's AnnualReport may number its sections anything; the
// section rule read its name table out of bounds for numbers outside 1..6.
TEST(Validator, SectionNumbersOutsideOneToSixAreIgnoredSafely) {
  auto validator = Validator::Create();
  ASSERT_TRUE(validator.ok());
  v1::AnnualReport report = corpus::ConsistentReport(5);
  for (int n : {-1, 0, 7, 99, INT32_MIN, INT32_MAX}) {
    v1::Section* s = report.add_sections();
    s->set_number(n);
    s->set_text("无");
  }
  for (const v1::Finding& f : validator->Validate(report)) {
    EXPECT_NE(f.rule_id(), "structure.sections") << f.message();  // the six are there, once each, in order
  }
}

TEST(Validator, ConfigurationSwitchesRulesOffAndChangesSeverity) {
  ASSERT_OK_AND_ASSIGN(v1::RuleConfig config, ParseRuleConfig(R"pb(
    name: "test-province"
    overrides { rule_id: "t4.group_sum" disabled: true }
    overrides { rule_id: "t2.fee_unit" severity: SEVERITY_ERROR }
  )pb"));
  ASSERT_OK_AND_ASSIGN(Validator validator, Validator::Create(config));
  v1::AnnualReport r = corpus::ConsistentReport(3);
  corpus::SetCellText(&r, "t4.review.total", "99");
  r.set_fee_unit("元");
  std::vector<v1::Finding> findings = validator.Validate(r);
  EXPECT_EQ(Count(findings, "t4.group_sum"), 0);
  ASSERT_EQ(Count(findings, "t2.fee_unit"), 1);
  for (const auto& f : findings) {
    if (f.rule_id() == "t2.fee_unit") {
      EXPECT_EQ(f.severity(), v1::SEVERITY_ERROR);
    }
  }
  ASSERT_OK_AND_ASSIGN(Validator defaults, Validator::Create());
  EXPECT_EQ(Count(defaults.Validate(r), "t4.group_sum"), 1);
}

TEST(Validator, UnknownRuleIdsAndBadTextAreRefused) {
  v1::RuleConfig config;
  config.add_overrides()->set_rule_id("t9.nonsense");
  EXPECT_THAT(Validator::Create(config), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("t9.nonsense")));
  EXPECT_THAT(ParseRuleConfig("overrides { rule_id: "), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
}

TEST(Validator, BatchFindsLastYearsReportOfTheSameOrgan) {
  v1::AnnualReport prev = corpus::ConsistentReport(1, v1::TEMPLATE_VERSION_V2021, 2023, "某某区教育局");
  v1::AnnualReport now = corpus::ConsistentReport(2, v1::TEMPLATE_VERSION_V2021, 2024, "某某区教育局");
  for (const std::string& col : Table3Columns()) {
    corpus::SetCellText(&prev, "t3.carried_forward." + col, corpus::CellText(now, "t3.carried_over." + col));
  }
  corpus::SetCellText(&prev, "t3.carried_forward.natural_person", "77");
  ASSERT_OK_AND_ASSIGN(Validator validator, Validator::Create());
  auto results = validator.ValidateBatch({&now, &prev});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(Count(results[0], "history.carry"), 1);
  EXPECT_EQ(Count(results[1], "history.carry"), 0);  // no 2022 report in the batch
}

// A report validated in a batch, whose narrative hashes the batch works out once, gets the same history
// findings as one validated alone, whose hashes history.copied works out itself: for a copied narrative, a
// new one and one too short to compare.
TEST(Validator, HistoryFindingsAreTheSameInABatchAndAlone) {
  const std::string copied = [] {
    std::string text;
    for (int k = 0; k < 40; ++k) text += "本机关认真贯彻政府信息公开条例，";
    return text;
  }();
  std::string other;
  for (int k = 0; k < 30; ++k) other += absl::StrCat("另一份正文第", k, "句各不相同。");
  for (const std::string& narrative : {copied, other, std::string("无")}) {
    v1::AnnualReport prev = corpus::ConsistentReport(1, v1::TEMPLATE_VERSION_V2021, 2023, "某某区教育局");
    v1::AnnualReport now = corpus::ConsistentReport(2, v1::TEMPLATE_VERSION_V2021, 2024, "某某区教育局");
    prev.mutable_sections(0)->set_text(copied);
    now.mutable_sections(0)->set_text(narrative);
    auto validator = *Validator::Create();
    std::vector<v1::Finding> alone = validator.Validate(now, &prev);
    std::vector<v1::Finding> in_batch = validator.ValidateBatch({&now}, {&prev})[0];
    ASSERT_EQ(alone.size(), in_batch.size()) << narrative;
    for (size_t k = 0; k < alone.size(); ++k) {
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(alone[k], in_batch[k])) << narrative << " " << k;
    }
    EXPECT_EQ(Count(in_batch, "history.copied"), narrative == copied ? 1 : 0) << narrative;
  }
}

TEST(Validator, BatchAnswersTheNarrativeSignaturesWithTheSameFindings) {
  // The signatures come from the hashes batch.copied works out; they must be NarrativeSignature's, and
  // asking for them must not change a finding (batch.copied reorders the hashes it is lent).
  std::vector<v1::AnnualReport> reports;
  for (uint32_t seed : {1u, 2u, 3u}) {
    reports.push_back(corpus::ConsistentReport(seed, v1::TEMPLATE_VERSION_V2021, 2024, absl::StrCat("第", seed, "局")));
    std::string text;
    for (int k = 0; k < 40; ++k) text += seed == 3 ? absl::StrCat("另一份正文第", k, "句各不相同。") : "本机关认真贯彻政府信息公开条例，";
    reports.back().mutable_sections(0)->set_text(text);
  }
  reports[2].mutable_sections(0)->set_text("无");  // too short to compare
  std::vector<const v1::AnnualReport*> ptrs;
  for (const auto& r : reports) ptrs.push_back(&r);
  auto validator = *Validator::Create();
  std::vector<std::string> signatures;
  auto with = validator.ValidateBatch(ptrs, {}, &signatures);
  auto without = validator.ValidateBatch(ptrs);
  ASSERT_EQ(signatures.size(), 3u);
  for (size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(signatures[i], NarrativeSignature(reports[i])) << i;
    ASSERT_EQ(with[i].size(), without[i].size()) << i;
    for (size_t k = 0; k < with[i].size(); ++k) {
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(with[i][k], without[i][k])) << i << " " << k;
    }
  }
  EXPECT_FALSE(signatures[0].empty());
  EXPECT_TRUE(signatures[2].empty());
  int copied = 0;
  for (const auto& f : with[0]) copied += f.rule_id() == "batch.copied";
  EXPECT_EQ(copied, 1);  // the first two organs filed one narrative
}

// Mutation test: change one cell of a consistent report at random; every change to a table 三 or 四
// cell breaks at least one of the tables' equations, and the arithmetic rules must catch it.
TEST(Validator, ArithmeticRulesCatchEveryChangeThatBreaksAnEquation) {
  ASSERT_OK_AND_ASSIGN(Validator validator, Validator::Create());
  std::mt19937 rng(2024);
  const auto& keys = AllCellKeys(v1::TEMPLATE_VERSION_V2021);
  int mutations = 0, detected = 0;
  for (int i = 0; i < 3000; ++i) {
    v1::AnnualReport r = corpus::ConsistentReport(static_cast<uint32_t>(i % 40));
    std::string key;
    do {
      key = keys[rng() % keys.size()];
    } while (TableOfKey(key) == TableId::kT2);  // table 二 has no equations
    int64_t old = std::stoll(corpus::CellText(r, key));
    int64_t delta = 1 + static_cast<int64_t>(rng() % 9);
    int64_t changed = (old >= delta && rng() % 2) ? old - delta : old + delta;
    corpus::SetCellText(&r, key, absl::StrCat(changed));
    ++mutations;
    int arithmetic = 0;
    for (const auto& f : validator.Validate(r)) {
      if (f.outcome() == v1::OUTCOME_FAILED &&
          (f.rule_id() == "t3.balance" || f.rule_id() == "t3.row_sum" || f.rule_id() == "t3.results_sum" ||
           f.rule_id() == "t4.group_sum")) {
        ++arithmetic;
        // The finding names the changed cell among its contributors.
      }
    }
    if (arithmetic > 0) {
      ++detected;
    } else {
      ADD_FAILURE() << key << " changed from " << old << " to " << changed << " was not caught";
    }
  }
  std::printf("mutation test: %d of %d single-cell changes to tables 3 and 4 detected (%.1f%%)\n", detected, mutations,
              100.0 * detected / mutations);
  EXPECT_EQ(detected, mutations);
}

}  // namespace
}  // namespace gongkai::validator
