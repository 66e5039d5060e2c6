// gongkai-gateway: the gateway service binary.
#include <cstdio>
#include <string>

#include "absl/flags/flag.h"
#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "common/tls.h"
#include "services/gateway/callers.h"
#include "services/gateway/engine.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/store.h"

ABSL_FLAG(std::string, parser, "127.0.0.1:50051", "parser replicas: dns:///NAME:PORT or ipv4:A:P,B:P; env GONGKAI_PARSER");
ABSL_FLAG(std::string, validator, "127.0.0.1:50052", "validator replicas; env GONGKAI_VALIDATOR");
ABSL_FLAG(std::string, aggregator, "127.0.0.1:50053", "aggregator; env GONGKAI_AGGREGATOR");
ABSL_FLAG(std::string, store, "gongkai-jobs.sqlite", "the job store (SQLite file, WAL); env GONGKAI_STORE");
ABSL_FLAG(int, workers, 16, "batches in flight at once; env GONGKAI_WORKERS");
ABSL_FLAG(int, batch_size, 16, "documents per call to a replica; env GONGKAI_BATCH_SIZE");
ABSL_FLAG(std::string, tokens, "",
          "file of 'TOKEN CALLER' lines: callers authenticate with 'authorization: Bearer TOKEN'; env GONGKAI_TOKENS");
ABSL_FLAG(std::string, peer_tls_ca, "", "PEM CA of the parser, validator and aggregator: reach them over TLS; env GONGKAI_PEER_TLS_CA");
ABSL_FLAG(std::string, peer_tls_cert, "", "PEM client certificate for mutual TLS to them; env GONGKAI_PEER_TLS_CERT");
ABSL_FLAG(std::string, peer_tls_key, "", "PEM key of --peer_tls_cert; env GONGKAI_PEER_TLS_KEY");
ABSL_FLAG(double, call_deadline_seconds, 30, "deadline of every call to a replica; env GONGKAI_CALL_DEADLINE_SECONDS");
ABSL_FLAG(bool, job_wide_copies, true,
          "once a job's documents are done, run batch.copied across the whole job, not only within each call; "
          "env GONGKAI_JOB_WIDE_COPIES");
ABSL_FLAG(bool, job_wide_history, true,
          "once a job's documents are done, run the history.* rules for each report whose organ filed last year's "
          "report in this job or an earlier job of the same caller; env GONGKAI_JOB_WIDE_HISTORY");
ABSL_FLAG(int, max_copies_per_report, 8,
          "job-wide batch.copied: candidate pairs per report, the closest first; env GONGKAI_MAX_COPIES_PER_REPORT");

namespace {

int Fail(const char* what, const absl::Status& status) {
  gongkai::Log(gongkai::LogSeverity::kError, what, {{"error", std::string(status.message())}});
  std::fprintf(stderr, "gongkai-gateway: %s: %s\n", what, std::string(status.message()).c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "gateway", gongkai::kGatewayPort);
  // Callers: bearer tokens and/or mutual-TLS identities; with neither, the caller-named header (local use).
  gongkai::gateway::CallerPolicy callers;
  if (std::string tokens = absl::GetFlag(FLAGS_tokens); !tokens.empty()) {
    auto table = gongkai::gateway::LoadTokenFile(tokens);
    if (!table.ok()) return Fail("bad --tokens", table.status());
    callers.tokens = *std::move(table);
  }
  callers.trust_client_certificate = options.verifies_client_certificates;
  callers.trust_header = callers.tokens.empty() && !callers.trust_client_certificate;
  if (callers.trust_header && !gongkai::IsLoopbackAddress(options.address)) {
    gongkai::Log(gongkai::LogSeverity::kWarning, "callers are not authenticated",
                 {{"hint", "give --tokens or --tls_client_ca so that each caller sees only its own jobs"}});
  }
  gongkai::TlsClientFiles peer_tls{absl::GetFlag(FLAGS_peer_tls_ca), absl::GetFlag(FLAGS_peer_tls_cert),
                                   absl::GetFlag(FLAGS_peer_tls_key)};
  auto peer_credentials = gongkai::MakeChannelCredentials(peer_tls);
  if (!peer_credentials.ok()) return Fail("bad --peer_tls_*", peer_credentials.status());
  auto store = gongkai::gateway::OpenSqliteStore(absl::GetFlag(FLAGS_store));
  if (!store.ok()) {
    return Fail("cannot open the job store", store.status());
  }
  gongkai::gateway::EngineOptions engine_options;
  engine_options.parser_target = absl::GetFlag(FLAGS_parser);
  engine_options.validator_target = absl::GetFlag(FLAGS_validator);
  engine_options.workers = absl::GetFlag(FLAGS_workers);
  engine_options.batch_size = absl::GetFlag(FLAGS_batch_size);
  engine_options.call_deadline = absl::Seconds(absl::GetFlag(FLAGS_call_deadline_seconds));
  engine_options.job_wide_copies = absl::GetFlag(FLAGS_job_wide_copies);
  engine_options.max_copies_per_report = absl::GetFlag(FLAGS_max_copies_per_report);
  engine_options.job_wide_history = absl::GetFlag(FLAGS_job_wide_history);
  engine_options.credentials = *peer_credentials;
  gongkai::gateway::Engine engine(store->get(), engine_options);
  absl::Status started = engine.Start();
  if (!started.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "engine failed", {{"error", std::string(started.message())}});
    return 2;
  }
  gongkai::gateway::GatewayServiceOptions service_options;
  service_options.aggregator_target = absl::GetFlag(FLAGS_aggregator);
  service_options.credentials = *peer_credentials;
  service_options.authenticate = gongkai::gateway::MakeAuthenticator(std::move(callers));
  gongkai::gateway::GatewayServiceImpl service(store->get(), &engine, service_options);
  absl::Status status = gongkai::RunServerUntilSignal(options, {{&service, gongkai::v1::GatewayService::service_full_name()}});
  engine.Stop();
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
