// The bootstrap every gongkai service binary uses: listening address and limits, the standard gRPC health
// service (NOT_SERVING until ready and again on shutdown), server reflection, keepalive, message size
// limits, and a drain then Shutdown(deadline) on SIGTERM/SIGINT.
#ifndef GONGKAI_COMMON_SERVER_H_
#define GONGKAI_COMMON_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace gongkai {

// Settings of one server. Every field has a working default; binaries fill them from flags.
struct ServerOptions {
  std::string name = "gongkai";              // for logs
  std::string address = "127.0.0.1:0";      // host:port; port 0 picks a free port
  int64_t max_receive_message_bytes = 64 << 20;  // larger requests get RESOURCE_EXHAUSTED
  int64_t max_send_message_bytes = 64 << 20;
  int keepalive_time_ms = 60'000;            // ping an idle connection this often
  int keepalive_timeout_ms = 20'000;         // and drop it when the ping is not answered in this time
  int max_connection_age_ms = 300'000;       // 0: unlimited; else clients re-resolve (new pods) this often
  int max_connection_age_grace_ms = 30'000;  // calls in flight get this long after the age is reached
  int max_concurrent_streams = 256;          // per connection
  absl::Duration drain = absl::Seconds(2);   // NOT_SERVING is announced this long before shutdown
  absl::Duration shutdown_grace = absl::Seconds(10);  // calls in flight get this long to finish
  bool enable_reflection = true;
  // When set ("0.0.0.0:8081"), a second, plaintext listener that serves only the health service, for
  // probes that cannot speak TLS (Kubernetes' native gRPC probes). It mirrors every health status.
  std::string health_address;
  // Null: plaintext. Set for TLS or mutual TLS (common/tls.h).
  std::shared_ptr<grpc::ServerCredentials> credentials;
  // True when the credentials verify client certificates (mutual TLS), so callers may be named by them.
  bool verifies_client_certificates = false;
};

// A service to register, with its full name for the health service ("gongkai.v1.ParserService").
struct ServiceEntry {
  grpc::Service* service;
  std::string full_name;
};

// A running gRPC server. Thread-safe.
class Server {
 public:
  // Builds and starts the server with `services` (not owned; they must outlive the server). The health
  // status of every service starts NOT_SERVING; call SetServing(true) once the service is ready.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                       std::vector<ServiceEntry> services);

  ~Server();

  // The port the server listens on (the chosen one when the options asked for port 0).
  int port() const { return port_; }
  // The port of the health-only listener (0 when there is none).
  int health_port() const { return health_port_; }
  // "127.0.0.1:<port>" for the chosen port, suitable for a client on this machine.
  std::string local_address() const;

  // Sets the health status of the overall server ("") and of every registered service.
  void SetServing(bool serving);

  // NOT_SERVING, waits the drain time, then shuts down, giving calls in flight the grace time.
  // Idempotent.
  void Shutdown();

  // Blocks until the server has shut down.
  void Wait();

  grpc::Server* grpc_server() { return server_.get(); }

 private:
  Server() = default;
  ServerOptions options_;
  std::vector<ServiceEntry> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;  // the health-only plaintext listener, when asked for
  int port_ = 0;
  int health_port_ = 0;
  std::atomic<bool> shut_down_{false};
};

// Blocks SIGTERM and SIGINT in the calling thread. Call first in main(), before any thread starts, so
// that every thread inherits the mask and the signal is taken only by WaitForTermination.
void BlockTerminationSignals();

// Waits (sigwait) for SIGTERM or SIGINT, logs it, and returns the signal number.
int WaitForTermination();

// Starts the services, marks them SERVING, waits for SIGTERM/SIGINT, then shuts down gracefully.
// Returns when the server has stopped. This is what every service main() calls.
absl::Status RunServerUntilSignal(const ServerOptions& options, std::vector<ServiceEntry> services);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_H_
