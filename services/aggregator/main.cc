// gongkai-aggregator: the aggregator service binary.
#include <string>

#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "services/aggregator/aggregator_service.h"
#include "services/aggregator/regions.h"

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "aggregator", gongkai::kAggregatorPort);
  gongkai::Log(gongkai::LogSeverity::kInfo, "division table loaded",
               {{"divisions", std::to_string(gongkai::aggregator::DefaultRegionTable().size())}});
  gongkai::aggregator::AggregatorServiceImpl service;
  absl::Status status = gongkai::RunServerUntilSignal(
      options, {{&service, gongkai::v1::AggregatorService::service_full_name()}});
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
