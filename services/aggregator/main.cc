// gongkai-aggregator: the aggregator service binary. Its methods are filled in by the aggregator issue; until then
// the binary starts with the shared bootstrap (health, reflection, graceful shutdown) and answers every
// method with UNIMPLEMENTED.
#include <string>

#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "gongkai/v1/aggregator_service.grpc.pb.h"

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "aggregator", gongkai::kAggregatorPort);
  gongkai::v1::AggregatorService::CallbackService service;
  absl::Status status = gongkai::RunServerUntilSignal(
      options, {{&service, gongkai::v1::AggregatorService::service_full_name()}});
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
