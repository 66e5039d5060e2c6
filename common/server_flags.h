// Command-line flags shared by the four service binaries (linked into binaries only, never libraries).
// Each flag falls back to an environment variable GONGKAI_<FLAG NAME IN UPPER CASE> when not given.
#ifndef GONGKAI_COMMON_SERVER_FLAGS_H_
#define GONGKAI_COMMON_SERVER_FLAGS_H_

#include "absl/strings/string_view.h"
#include "common/server.h"

namespace gongkai {

// Parses argv (after applying environment fallbacks) and returns the server options for `name`,
// listening on 127.0.0.1:`default_port` unless --address (or GONGKAI_ADDRESS) says otherwise, with TLS
// from --tls_cert/--tls_key (mutual TLS with --tls_client_ca). Settings that cannot work (an unreadable
// certificate, plaintext on a non-loopback address without --plaintext) print the reason and exit(2):
// this is binary glue, never linked into a library.
ServerOptions ParseServerFlags(int argc, char** argv, absl::string_view name, int default_port);

// The default ports of the four services.
inline constexpr int kGatewayPort = 50050;
inline constexpr int kParserPort = 50051;
inline constexpr int kValidatorPort = 50052;
inline constexpr int kAggregatorPort = 50053;

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_FLAGS_H_
