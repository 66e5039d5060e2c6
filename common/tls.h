// Transport security shared by every service and client: TLS and mutual-TLS credentials from PEM files,
// the "plaintext only on loopback" rule, and the verified identity of a mutual-TLS peer.
#ifndef GONGKAI_COMMON_TLS_H_
#define GONGKAI_COMMON_TLS_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_context.h"

namespace gongkai {

// How a server treats client certificates when `client_ca_file` is set.
enum class ClientCertPolicy {
  kRequire,   // mutual TLS: a client without a certificate signed by the CA cannot connect
  kOptional,  // a certificate is verified when sent; callers may instead authenticate otherwise (tokens)
};

// The PEM files of a TLS server. Empty `cert_file` means plaintext.
struct TlsServerFiles {
  std::string cert_file;       // the server's certificate chain
  std::string key_file;        // its private key
  std::string client_ca_file;  // empty: no client certificates; else the CA that signs them
  ClientCertPolicy client_cert = ClientCertPolicy::kRequire;
  // How often the files are read again: a certificate renewed in place (a Kubernetes secret's volume,
  // cert-manager) is served from then on, without a restart, to new connections.
  unsigned reload_seconds = 60;
};

// The PEM files of a TLS client. Empty `ca_file` means plaintext.
struct TlsClientFiles {
  std::string ca_file;    // the CA that signed the server's certificate
  std::string cert_file;  // the client's own certificate for mutual TLS (empty: none)
  std::string key_file;
  unsigned reload_seconds = 60;  // as for TlsServerFiles: renewed files are used by new connections
};

// Server credentials for `files`: null (plaintext) when no certificate is given, else TLS, with client
// certificates verified against `client_ca_file` when that is set. The files are watched and read again
// every `reload_seconds`; replace them atomically (a renamed directory or a symlink swap, as Kubernetes
// does). A missing or unreadable file at start is InvalidArgument naming it and the flag it came from.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(const TlsServerFiles& files);

// Channel credentials for `files`: plaintext when no CA is given, else TLS (mutual when a client
// certificate and key are given), the files watched as for MakeServerCredentials. The server's certificate
// must name the host dialled. Errors as for MakeServerCredentials.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(const TlsClientFiles& files);

// True when `address` ("host:port", "[::1]:port", "localhost:port", "unix:…") can only be reached from this
// machine.
bool IsLoopbackAddress(absl::string_view address);

// Plaintext is the default only on loopback: listening in plaintext elsewhere needs `allow_plaintext`
// (--plaintext), else FailedPrecondition explaining what to pass.
absl::Status CheckPlaintextAllowed(absl::string_view address, bool has_tls, bool allow_plaintext);

// The verified identity of a mutual-TLS peer (its certificate's first subject alternative name, else its
// common name), or "" when the peer sent no verified certificate.
std::string PeerCertificateIdentity(const grpc::ServerContext& context);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_TLS_H_
