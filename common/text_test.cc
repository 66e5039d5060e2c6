#include "common/text.h"

#include <utf8proc.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace gongkai {
namespace {

using ::gongkai::testing::IsOk;
using ::gongkai::testing::StatusIs;
using ::testing::HasSubstr;

TEST(NormalizeLabel, FoldsWidthPunctuationAndSpaces) {
  EXPECT_EQ(NormalizeLabel("（二） 部分公开（区分处理的，只计这一情形，不计其他情形）"),
            NormalizeLabel("(二)部分公开(区分处理的,只计这一情形,不计其他情形)"));
  EXPECT_EQ(NormalizeLabel("结 果 维 持"), "结果维持");
  EXPECT_EQ(NormalizeLabel("商业\n企业"), "商业企业");
  EXPECT_EQ(NormalizeLabel("１．属于国家秘密"), "1属于国家秘密");
  EXPECT_EQ(NormalizeLabel("3.危及“三安全一稳定”"), "3危及三安全一稳定");
  EXPECT_EQ(NormalizeLabel("ＡＢＣ abc"), "abcabc");
  EXPECT_EQ(NormalizeLabel("\u00a0规章\u3000"), "规章");
}

TEST(NormalizeLabel, MapsTraditionalToSimplified) {
  EXPECT_EQ(NormalizeLabel("規範性文件"), "规范性文件");
  EXPECT_EQ(NormalizeLabel("結轉下年度繼續辦理"), "结转下年度继续办理");
  EXPECT_EQ(NormalizeLabel("行政復議"), "行政复议");
  EXPECT_EQ(NormalizeLabel("本機關不掌握相關政府信息"), "本机关不掌握相关政府信息");
}

// Labels longer than the normaliser's internal buffer come out whole: normalising a long text equals
// normalising its parts one after another.
TEST(NormalizeLabel, LongTextEqualsItsPartsNormalised) {
  const std::vector<std::string> parts = {"規範性文件 ", "ＡＢＣ", "\u2f8f政许可", "（二）", "结转下年度继续办理", "x"};
  std::string text, want;
  for (int i = 0; i < 300; ++i) {
    const std::string& part = parts[static_cast<size_t>(i) % parts.size()];
    text += part;
    want += NormalizeLabel(part);
  }
  ASSERT_GT(want.size(), 2000u);
  EXPECT_EQ(NormalizeLabel(text), want);
}

TEST(NormalizeLabel, MapsKangxiRadicalsFromPdfExtraction) {
  // PDF text layers often hold Kangxi radicals (U+2F8F ⾏ for 行); NFKC maps them back.
  EXPECT_EQ(NormalizeLabel("\u2f8f政许可"), "行政许可");
}

TEST(ToSimplified, PairsAreAligned) {
  // A misaligned pair table would map characters to unrelated ones; spot-check pairs across the table.
  EXPECT_EQ(ToSimplified(U'規'), U'规');
  EXPECT_EQ(ToSimplified(U'縣'), U'县');
  EXPECT_EQ(ToSimplified(U'採'), U'采');
  EXPECT_EQ(ToSimplified(U'購'), U'购');
  EXPECT_EQ(ToSimplified(U'圍'), U'围');
  EXPECT_EQ(ToSimplified(U'规'), U'规');
  EXPECT_EQ(ToSimplified(U'A'), U'A');
}

TEST(ValidateUtf8, AcceptsTextAndRejectsBadBytesWithTheirLine) {
  EXPECT_THAT(ValidateUtf8("一、总体情况\n二、主动公开"), IsOk());
  EXPECT_THAT(ValidateUtf8(""), IsOk());
  EXPECT_THAT(ValidateUtf8("abc\ndef\n\xff"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
  EXPECT_THAT(ValidateUtf8(std::string("ab\0c", 4)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("NUL")));
  // GBK bytes for 公开 are not UTF-8.
  EXPECT_THAT(ValidateUtf8("\xb9\xab\xbf\xaa"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("GBK")));
  // Overlong encoding and a surrogate.
  EXPECT_THAT(ValidateUtf8("\xc0\xaf"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateUtf8("\xed\xa0\x80"), StatusIs(absl::StatusCode::kInvalidArgument));
  // Truncated at the end, and an ASCII run longer than the 8-byte fast path before the bad byte.
  EXPECT_THAT(ValidateUtf8("\xe4\xb8"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated")));
  EXPECT_THAT(ValidateUtf8("0123456789abcdef\n0123456789\x80"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 2")));
}

// ValidateUtf8's fast paths against utf8proc's decoder (with NUL refused, as the validator does), on
// texts mixing CJK runs, ASCII runs and the sequences that need a closer look: overlong forms (E0 80..9F,
// C0, C1), surrogates (ED A0..BF), truncated and stray continuation bytes, 4-byte sequences.
TEST(ValidateUtf8, AgreesWithUtf8procOnMixedText) {
  const std::vector<std::string> pieces = {
      "一", "总体情况", "abc", "0123456789", "\n", "\xe0\xa0\x80", "\xe0\x9f\xbf", "\xed\x9f\xbf",
      "\xed\xa0\x80", "\xef\xbf\xbf", "\xc2\xa0", "\xc1\xbf", "\xf0\x9f\x98\x80", "\xf4\x90\x80\x80",
      "\xe4\xb8", "\xb8", "\xe4", std::string("\0", 1), "\xff", "ü"};
  auto reference = [](const std::string& text) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t used = utf8proc_iterate(p, left, &cp);
      if (used <= 0 || cp == 0) return false;
      p += used;
      left -= used;
    }
    return true;
  };
  uint32_t state = 12345;
  auto next = [&state]() {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  int valid = 0, invalid = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    int count = 1 + static_cast<int>(next() % 12);
    for (int k = 0; k < count; ++k) {
      // Mostly valid CJK and ASCII, so that the bad pieces land inside long runs.
      size_t pick = next() % (pieces.size() * 2);
      text += pick < pieces.size() ? pieces[pick] : pieces[pick % 4];
    }
    bool want = reference(text);
    ASSERT_EQ(ValidateUtf8(text).ok(), want) << "round " << round << ": " << absl::CHexEscape(text);
    (want ? valid : invalid)++;
  }
  EXPECT_GT(valid, 1000);
  EXPECT_GT(invalid, 1000);
}

TEST(TrimSpace, TrimsUnicodeSpaces) {
  EXPECT_EQ(TrimSpace("\u3000\u00a0 规章 \t"), "规章");
  EXPECT_EQ(TrimSpace("   "), "");
}

// The inline fast path must answer as the general trim does, whatever ends a text: every space
// character, ASCII, CJK, full-width forms and characters whose last byte is one a space ends in.
TEST(TrimSpace, FastPathAgreesWithTheGeneralTrim) {
  const std::vector<std::string> pieces = {
      " ", "\t", "\r", "\u00a0", "\u2000", "\u2003", "\u200b", "\u202f", "\u205f", "\u3000", "\ufeff",
      "a", "7", "-", "规", "章", "（", "）", "，", "。", "\u00e0", "\u2010", "\u2014", "\u3001", "\u4e00",
      "\u9fa0", "\uff10", "\u0100", "\u3280", "\u6c9f", "\u8b20", "\u5bbf", "\u2080", "\U0001F600"};
  int checked = 0;
  for (const std::string& a : pieces) {
    for (const std::string& b : pieces) {
      for (const std::string& c : pieces) {
        std::string text = a + b + c;
        ASSERT_EQ(TrimSpace(text), TrimSpaceSlow(text)) << "\"" << text << "\"";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(pieces.size() * pieces.size() * pieces.size()));
  EXPECT_EQ(TrimSpace("规章\u3000"), "规章");
  EXPECT_EQ(TrimSpace("\u200b规章"), "规章");
}

TEST(CountCodepoints, CountsCodePointsNotBytes) {
  EXPECT_EQ(CountCodepoints("规章ab"), 4);
}

TEST(NfkcNormalize, MatchesUtf8proc) {
  EXPECT_EQ(NfkcNormalize("（１）"), "(1)");
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

// Find anchors multi-byte needles on their third byte: it must answer exactly as a plain search does,
// from every start offset, for needles at the start, the end, overlapping themselves, and absent.
TEST(Text, FindAnswersAsAPlainSearchDoes) {
  const std::string hay = "政府信息公开工作年度报告。依申请公开：本年新收政府信息公开申请数量 12 件，公开公开公开。报告";
  const std::vector<std::string> needles = {"政府", "报告", "公开公开", "公开", "年度报告", "申请数量 12", "12",
                                            "。", "不存在", "告", "x", "", "政府信息公开工作年度报告。依"};
  for (const std::string& needle : needles) {
    for (size_t from = 0; from <= hay.size() + 1; ++from) {
      size_t want = std::string_view(hay).find(needle, from);
      if (want == std::string_view::npos) want = absl::string_view::npos;
      EXPECT_EQ(Find(hay, needle, from), want) << "needle \"" << needle << "\" from " << from;
    }
    EXPECT_EQ(Contains(hay, needle), std::string_view(hay).find(needle) != std::string_view::npos) << needle;
  }
  EXPECT_EQ(Find("报", "报告"), absl::string_view::npos);  // a haystack shorter than the needle
  EXPECT_EQ(Find("", "报告"), absl::string_view::npos);
  EXPECT_EQ(Find(absl::string_view(), "报告"), absl::string_view::npos);  // no data at all (null pointer)
}

}  // namespace
}  // namespace gongkai
