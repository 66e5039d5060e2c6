#include "services/gateway/callers.h"

#include <fstream>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/tls.h"

namespace gongkai::gateway {

absl::StatusOr<std::string> HeaderCaller(const grpc::ServerContext& context) {
  auto it = context.client_metadata().find("x-gongkai-caller");
  if (it == context.client_metadata().end()) return std::string("anonymous");
  return std::string(it->second.data(), it->second.size());
}

absl::StatusOr<TokenTable> LoadTokenFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read the token file ", path));
  TokenTable table;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view text = line;
    if (size_t hash = text.find('#'); hash != absl::string_view::npos) text = text.substr(0, hash);
    std::vector<absl::string_view> fields = absl::StrSplit(text, absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (fields.empty()) continue;
    if (fields.size() != 2) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": expected 'TOKEN CALLER', found ", fields.size(), " fields"));
    }
    if (fields[0].size() < 16) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": the token of ", fields[1], " is shorter than 16 characters"));
    }
    if (!table.emplace(std::string(fields[0]), std::string(fields[1])).second) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", number, ": this token is listed twice"));
    }
  }
  if (table.empty()) return absl::InvalidArgumentError(absl::StrCat("the token file ", path, " lists no token"));
  return table;
}

Authenticator MakeAuthenticator(CallerPolicy policy) {
  return [policy = std::move(policy)](const grpc::ServerContext& context) -> absl::StatusOr<std::string> {
    auto auth = context.client_metadata().find("authorization");
    if (auth != context.client_metadata().end()) {
      absl::string_view value(auth->second.data(), auth->second.size());
      if (!absl::ConsumePrefix(&value, "Bearer ") && !absl::ConsumePrefix(&value, "bearer ")) {
        return absl::UnauthenticatedError("the authorization header is not 'Bearer TOKEN'");
      }
      auto it = policy.tokens.find(absl::StripAsciiWhitespace(value));
      if (it == policy.tokens.end()) return absl::UnauthenticatedError("unknown bearer token");
      return it->second;
    }
    if (policy.trust_client_certificate) {
      std::string identity = PeerCertificateIdentity(context);
      if (!identity.empty()) return absl::StrCat("cert:", identity);
    }
    if (policy.trust_header) return HeaderCaller(context);
    return absl::UnauthenticatedError(
        policy.tokens.empty() ? "no client certificate: this gateway identifies callers by mutual TLS"
                              : "no credentials: send 'authorization: Bearer TOKEN'" +
                                    std::string(policy.trust_client_certificate ? " or a client certificate" : ""));
  };
}

}  // namespace gongkai::gateway
