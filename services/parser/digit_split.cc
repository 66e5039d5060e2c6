#include "services/parser/digit_split.h"

namespace gongkai::parser {

bool IsDigitRun(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

namespace {

struct Search {
  const std::vector<std::string>& tokens;
  int parts;
  int check_every;
  const std::function<bool(const std::vector<int64_t>&)>& prefix_ok;
  const std::function<bool(const std::vector<int64_t>&)>& accept;
  size_t limit;
  std::vector<std::vector<int64_t>> found;
  std::vector<int64_t> current;
  size_t remaining_digits;

  // Digits left from (token, offset) to the end.
  void Dfs(size_t token, size_t offset, size_t digits_left) {
    if (found.size() >= limit) return;
    int parts_left = parts - static_cast<int>(current.size());
    if (token == tokens.size()) {
      if (parts_left == 0 && accept(current)) found.push_back(current);
      return;
    }
    if (parts_left <= 0) return;
    // Each remaining token needs at least one part; each part needs at least one digit.
    size_t tokens_left = tokens.size() - token;
    if (static_cast<size_t>(parts_left) < tokens_left || static_cast<size_t>(parts_left) > digits_left) return;
    const std::string& t = tokens[token];
    size_t max_len = t.size() - offset;
    if (max_len > 12) max_len = 12;
    for (size_t len = 1; len <= max_len; ++len) {
      if (t[offset] == '0' && len > 1) break;  // no leading zeros
      int64_t v = 0;
      for (size_t k = 0; k < len; ++k) v = v * 10 + (t[offset + k] - '0');
      current.push_back(v);
      bool ok = check_every <= 0 || current.size() % static_cast<size_t>(check_every) != 0 || prefix_ok(current);
      if (ok) {
        if (offset + len == t.size()) {
          Dfs(token + 1, 0, digits_left - len);
        } else {
          Dfs(token, offset + len, digits_left - len);
        }
      }
      current.pop_back();
      if (found.size() >= limit) return;
    }
  }
};

}  // namespace

std::vector<std::vector<int64_t>> SplitDigits(const std::vector<std::string>& tokens, int parts, int check_every,
                                              const std::function<bool(const std::vector<int64_t>&)>& prefix_ok,
                                              const std::function<bool(const std::vector<int64_t>&)>& accept,
                                              size_t limit) {
  size_t digits = 0;
  for (const std::string& t : tokens) {
    if (!IsDigitRun(t)) return {};
    digits += t.size();
  }
  Search search{tokens, parts, check_every, prefix_ok, accept, limit, {}, {}, digits};
  search.Dfs(0, 0, digits);
  return search.found;
}

}  // namespace gongkai::parser
