// Splitting digits that a scraper ran together ("320000032" for 32, 0, 0, 0, 0, 0, 32) into a row's cells,
// using only the table's own equations to choose.
#ifndef GONGKAI_SERVICES_PARSER_DIGIT_SPLIT_H_
#define GONGKAI_SERVICES_PARSER_DIGIT_SPLIT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gongkai::parser {

// Every way to cut `tokens` (strings of ASCII digits; a cut always falls between two tokens) into exactly
// `parts` whole numbers without leading zeros ("0" itself is fine). `prefix_ok` sees each partial split after
// every `check_every` numbers and may prune it; `accept` sees complete splits. At most `limit` are returned.
std::vector<std::vector<int64_t>> SplitDigits(const std::vector<std::string>& tokens, int parts, int check_every,
                                              const std::function<bool(const std::vector<int64_t>&)>& prefix_ok,
                                              const std::function<bool(const std::vector<int64_t>&)>& accept,
                                              size_t limit = 64);

// True when `text` is one or more ASCII digits.
bool IsDigitRun(const std::string& text);

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_DIGIT_SPLIT_H_
