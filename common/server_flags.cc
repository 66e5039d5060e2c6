#include "common/server_flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

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
ABSL_FLAG(double, shutdown_grace_seconds, 10.0,
          "calls in flight get this long to finish on shutdown; env GONGKAI_SHUTDOWN_GRACE_SECONDS");

namespace gongkai {
namespace {

void ApplyEnvFallbacks() {
  for (const char* name : {"address", "max_message_bytes", "keepalive_time_ms", "keepalive_timeout_ms",
                           "max_connection_age_ms", "max_concurrent_streams", "drain_seconds",
                           "shutdown_grace_seconds", "rules", "parser", "validator", "aggregator", "store", "workers",
                           "batch_size", "call_deadline_seconds", "tls_cert", "tls_key", "tls_client_ca", "tokens"}) {
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

}  // namespace

ServerOptions ParseServerFlags(int argc, char** argv, absl::string_view name, int default_port) {
  absl::SetProgramUsageMessage(absl::StrCat("gongkai ", name, " service. Flags may also come from GONGKAI_* environment variables."));
  ApplyEnvFallbacks();
  absl::ParseCommandLine(argc, argv);
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
  return options;
}

}  // namespace gongkai
