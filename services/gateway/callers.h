// Who is calling the gateway. Jobs belong to the caller that submitted them; every call names its caller
// through one of these authenticators, and another caller's job is NOT_FOUND.
#ifndef GONGKAI_SERVICES_GATEWAY_CALLERS_H_
#define GONGKAI_SERVICES_GATEWAY_CALLERS_H_

#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"

namespace gongkai::gateway {

// Returns the caller's name, or UNAUTHENTICATED with the reason.
using Authenticator = std::function<absl::StatusOr<std::string>(const grpc::ServerContext&)>;

// For local use only: the caller names itself in the "x-gongkai-caller" header ("anonymous" without one).
absl::StatusOr<std::string> HeaderCaller(const grpc::ServerContext& context);

// Bearer tokens: token -> caller name.
using TokenTable = absl::flat_hash_map<std::string, std::string>;

// Reads a token file: one "TOKEN CALLER" pair per line (separated by spaces or a tab), '#' starts a comment.
// A malformed line, an empty file or a token listed twice is InvalidArgument naming the file and line.
absl::StatusOr<TokenTable> LoadTokenFile(const std::string& path);

// How the gateway authenticates callers.
struct CallerPolicy {
  TokenTable tokens;                     // "authorization: Bearer TOKEN" names the caller from this table
  bool trust_client_certificate = false; // a verified mutual-TLS client certificate names the caller
  bool trust_header = false;             // else the x-gongkai-caller header (local use only)
};

// The authenticator for `policy`. A bearer token, when sent, must be in the table (a wrong one is refused
// even if a certificate was sent too); then a verified client certificate, written "cert:IDENTITY"; then the
// header when trusted. A caller with none of them is UNAUTHENTICATED, told what to send.
Authenticator MakeAuthenticator(CallerPolicy policy);

}  // namespace gongkai::gateway

#endif  // GONGKAI_SERVICES_GATEWAY_CALLERS_H_
