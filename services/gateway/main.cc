// gongkai-gateway: the gateway service binary.
#include <string>

#include "absl/flags/flag.h"
#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "services/gateway/engine.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/store.h"

ABSL_FLAG(std::string, parser, "127.0.0.1:50051", "parser replicas: dns:///NAME:PORT or ipv4:A:P,B:P; env GONGKAI_PARSER");
ABSL_FLAG(std::string, validator, "127.0.0.1:50052", "validator replicas; env GONGKAI_VALIDATOR");
ABSL_FLAG(std::string, aggregator, "127.0.0.1:50053", "aggregator; env GONGKAI_AGGREGATOR");
ABSL_FLAG(std::string, store, "gongkai-jobs.sqlite", "the job store (SQLite file, WAL); env GONGKAI_STORE");
ABSL_FLAG(int, workers, 8, "batches in flight at once; env GONGKAI_WORKERS");
ABSL_FLAG(int, batch_size, 32, "documents per call to a replica; env GONGKAI_BATCH_SIZE");
ABSL_FLAG(double, call_deadline_seconds, 30, "deadline of every call to a replica; env GONGKAI_CALL_DEADLINE_SECONDS");

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "gateway", gongkai::kGatewayPort);
  auto store = gongkai::gateway::OpenSqliteStore(absl::GetFlag(FLAGS_store));
  if (!store.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "cannot open the job store", {{"error", std::string(store.status().message())}});
    return 2;
  }
  gongkai::gateway::EngineOptions engine_options;
  engine_options.parser_target = absl::GetFlag(FLAGS_parser);
  engine_options.validator_target = absl::GetFlag(FLAGS_validator);
  engine_options.workers = absl::GetFlag(FLAGS_workers);
  engine_options.batch_size = absl::GetFlag(FLAGS_batch_size);
  engine_options.call_deadline = absl::Seconds(absl::GetFlag(FLAGS_call_deadline_seconds));
  gongkai::gateway::Engine engine(store->get(), engine_options);
  absl::Status started = engine.Start();
  if (!started.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "engine failed", {{"error", std::string(started.message())}});
    return 2;
  }
  gongkai::gateway::GatewayServiceOptions service_options;
  service_options.aggregator_target = absl::GetFlag(FLAGS_aggregator);
  gongkai::gateway::GatewayServiceImpl service(store->get(), &engine, service_options);
  absl::Status status = gongkai::RunServerUntilSignal(options, {{&service, gongkai::v1::GatewayService::service_full_name()}});
  engine.Stop();
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
