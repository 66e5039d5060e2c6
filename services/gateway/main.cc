// gongkai-gateway: the gateway service binary. Its methods are filled in by the gateway issue; until then
// the binary starts with the shared bootstrap (health, reflection, graceful shutdown) and answers every
// method with UNIMPLEMENTED.
#include <string>

#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "gongkai/v1/gateway_service.grpc.pb.h"

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "gateway", gongkai::kGatewayPort);
  gongkai::v1::GatewayService::CallbackService service;
  absl::Status status = gongkai::RunServerUntilSignal(
      options, {{&service, gongkai::v1::GatewayService::service_full_name()}});
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
