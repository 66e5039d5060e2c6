#include "common/server_flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/logging.h"
#include "common/tls.h"

ABSL_FLAG(std::string, address, "",
          "host:port to listen on (default 127.0.0.1 and the service's own port; 0.0.0.0:PORT in a "
          "container); env GONGKAI_ADDRESS");
ABSL_FLAG(int64_t, max_message_bytes, 64 << 20, "largest request or response in bytes; env GONGKAI_MAX_MESSAGE_BYTES");
ABSL_FLAG(int, keepalive_time_ms, 60000, "keepalive ping interval; env GONGKAI_KEEPALIVE_TIME_MS");
ABSL_FLAG(int, keepalive_timeout_ms, 20000, "keepalive ping timeout; env GONGKAI_KEEPALIVE_TIMEOUT_MS");
ABSL_FLAG(int, max_connection_age_ms, 300000,
          "close connections after this age so clients re-resolve (0: never); env GONGKAI_MAX_CONNECTION_AGE_MS");
ABSL_FLAG(int, max_concurrent_streams, 256, "streams per connection; env GONGKAI_MAX_CONCURRENT_STREAMS");
ABSL_FLAG(double, drain_seconds, 2.0, "NOT_SERVING is announced this long before shutdown; env GONGKAI_DRAIN_SECONDS");
ABSL_FLAG(std::string, tls_cert, "", "PEM certificate chain: serve TLS (empty: plaintext); env GONGKAI_TLS_CERT");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert; env GONGKAI_TLS_KEY");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA that signs client certificates: mutual TLS; env GONGKAI_TLS_CLIENT_CA");
ABSL_FLAG(std::string, tls_client_cert, "require",
          "with --tls_client_ca: 'require' a client certificate, or 'optional' (callers may use bearer tokens); "
          "env GONGKAI_TLS_CLIENT_CERT");
ABSL_FLAG(std::string, health_address, "",
          "also serve the health service alone, in plaintext, on this host:port (for Kubernetes gRPC probes, "
          "which cannot speak TLS); env GONGKAI_HEALTH_ADDRESS");
ABSL_FLAG(bool, plaintext, false,
          "allow plaintext on an address other than loopback (e.g. behind a service mesh); env GONGKAI_PLAINTEXT");
ABSL_FLAG(double, shutdown_grace_seconds, 10.0,
          "calls in flight get this long to finish on shutdown; env GONGKAI_SHUTDOWN_GRACE_SECONDS");

namespace gongkai {
namespace {

void ApplyEnvFallbacks() {
  for (const char* name : {"address", "max_message_bytes", "keepalive_time_ms", "keepalive_timeout_ms",
                           "max_connection_age_ms", "max_concurrent_streams", "drain_seconds",
                           "shutdown_grace_seconds", "rules", "parser", "validator", "aggregator", "store", "workers",
                           "batch_size", "call_deadline_seconds", "tls_cert", "tls_key", "tls_client_ca",
                           "tls_client_cert", "plaintext", "health_address", "tokens", "peer_tls_ca", "peer_tls_cert", "peer_tls_key"}) {
    std::string env_name = absl::StrCat("GONGKAI_", absl::AsciiStrToUpper(name));
    const char* value = std::getenv(env_name.c_str());
    if (value == nullptr) continue;
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    std::string error;
    if (flag != nullptr && !flag->ParseFrom(value, &error)) {
      std::fprintf(stderr, "ignoring %s=%s: %s\n", env_name.c_str(), value, error.c_str());
    }
  }
}

[[noreturn]] void Exit(absl::string_view name, const absl::Status& status) {
  Log(LogSeverity::kError, "bad settings", {{"service", std::string(name)}, {"error", std::string(status.message())}});
  std::fprintf(stderr, "gongkai-%s: %s\n", std::string(name).c_str(), std::string(status.message()).c_str());
  std::exit(2);
}

}  // namespace

ServerOptions ParseServerFlags(int argc, char** argv, absl::string_view name, int default_port) {
  absl::SetProgramUsageMessage(absl::StrCat("gongkai ", name, " service. Flags may also come from GONGKAI_* environment variables."));
  ApplyEnvFallbacks();
  absl::ParseCommandLine(argc, argv);
  // Abseil's lock-order graph costs ~5 % of a batch's throughput; the tests keep it, the binaries do not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  ServerOptions options;
  options.name = std::string(name);
  options.address = absl::GetFlag(FLAGS_address);
  if (options.address.empty()) options.address = absl::StrCat("127.0.0.1:", default_port);
  options.max_receive_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.max_send_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  options.keepalive_time_ms = absl::GetFlag(FLAGS_keepalive_time_ms);
  options.keepalive_timeout_ms = absl::GetFlag(FLAGS_keepalive_timeout_ms);
  options.max_connection_age_ms = absl::GetFlag(FLAGS_max_connection_age_ms);
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.drain = absl::Seconds(absl::GetFlag(FLAGS_drain_seconds));
  options.shutdown_grace = absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds));
  options.health_address = absl::GetFlag(FLAGS_health_address);

  TlsServerFiles tls;
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert);
  tls.key_file = absl::GetFlag(FLAGS_tls_key);
  tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  std::string client_cert = absl::GetFlag(FLAGS_tls_client_cert);
  if (client_cert != "require" && client_cert != "optional") {
    Exit(name, absl::InvalidArgumentError(absl::StrCat("--tls_client_cert is '", client_cert,
                                                       "'; expected 'require' or 'optional'")));
  }
  tls.client_cert = client_cert == "require" ? ClientCertPolicy::kRequire : ClientCertPolicy::kOptional;
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials = MakeServerCredentials(tls);
  if (!credentials.ok()) Exit(name, credentials.status());
  options.credentials = *credentials;
  options.verifies_client_certificates = !tls.client_ca_file.empty();
  absl::Status plaintext =
      CheckPlaintextAllowed(options.address, options.credentials != nullptr, absl::GetFlag(FLAGS_plaintext));
  if (!plaintext.ok()) Exit(name, plaintext);
  Log(LogSeverity::kInfo, "transport",
      {{"service", std::string(name)},
       {"security", options.credentials == nullptr ? "plaintext"
                    : tls.client_ca_file.empty()   ? "tls"
                                                   : absl::StrCat("mutual-tls (client certificate ", client_cert, ")")}});
  return options;
}

}  // namespace gongkai
