// gongkai batch: submit reports to a gateway, watch the job, fetch results and summary, write the exports.
// gongkai local: the same through the four services started in this process on loopback ports.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "common/server.h"
#include "common/tls.h"
#include "gongkai/v1/gateway_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "services/aggregator/aggregate.h"
#include "services/aggregator/aggregator_service.h"
#include "services/aggregator/summary.h"
#include "services/gateway/engine.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/store.h"
#include "services/parser/parser_service.h"
#include "services/validator/validator_service.h"
#include "tools/gongkai/args.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

constexpr char kBatchUsage[] =
    "usage: gongkai batch --gateway HOST:PORT [--out DIR] [--caller NAME] [--level L] [--regions F]\n"
    "                     [--tls_ca F [--tls_cert F --tls_key F]] [--token T] FILE_OR_DIR...\n"
    "       gongkai local [--out DIR] [--level L] [--regions F] [--workers N] FILE_OR_DIR...\n"
    "  Submits the reports as one job, shows its progress, and writes the summary and findings exports\n"
    "  (summary.json, regions.csv, reports.csv, summary.xlsx, summary.html) into DIR (default gongkai-summary).\n"
    "  local starts the parser, validator, aggregator and gateway in this process on loopback ports and runs\n"
    "  the same batch through them over gRPC; its job store is DIR/jobs.sqlite.\n"
    "  --tls_ca speaks TLS to the gateway (with --tls_cert/--tls_key: mutual TLS, the certificate names the\n"
    "  caller); --token (or env GONGKAI_TOKEN) sends 'authorization: Bearer T'; --caller names the caller to a\n"
    "  gateway that trusts the header (local use).\n";

// Who this client is: a bearer token when given, and the self-chosen name for gateways that trust it.
struct Identity {
  std::string caller;
  std::string token;
};

void AddCaller(grpc::ClientContext* context, const Identity& identity) {
  if (!identity.caller.empty()) context->AddMetadata("x-gongkai-caller", identity.caller);
  if (!identity.token.empty()) context->AddMetadata("authorization", "Bearer " + identity.token);
}

// Submits, watches, and exports. Returns the exit code.
int RunAgainst(const std::string& address, const Args& args, const std::vector<std::string>& files) {
  Identity caller{args.Value("caller", "gongkai-cli"), args.Value("token")};
  if (caller.token.empty() && std::getenv("GONGKAI_TOKEN") != nullptr) caller.token = std::getenv("GONGKAI_TOKEN");
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      MakeChannelCredentials({args.Value("tls_ca"), args.Value("tls_cert"), args.Value("tls_key")});
  if (!credentials.ok()) {
    std::fprintf(stderr, "gongkai: %s\n", std::string(credentials.status().message()).c_str());
    return 2;
  }
  std::string level = args.Value("level", "county");
  absl::StatusOr<std::vector<aggregator::ExpectedOrgan>> expected = LoadExpectedOrgans(args.Value("regions"));
  if (!expected.ok()) {
    std::fprintf(stderr, "gongkai: %s\n", std::string(expected.status().message()).c_str());
    return 2;
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxSendMessageSize(256 << 20);
  channel_args.SetMaxReceiveMessageSize(256 << 20);
  auto stub = v1::GatewayService::NewStub(grpc::CreateCustomChannel(address, *credentials, channel_args));
  // Submit: one document per message, read from disk as it is sent (the batch is never held whole).
  v1::SubmitResponse submitted;
  int exit_code = 0;
  {
    grpc::ClientContext context;
    AddCaller(&context, caller);
    auto writer = stub->Submit(&context, &submitted);
    for (const std::string& file : files) {
      absl::StatusOr<std::string> content = ReadFile(file);
      if (!content.ok() || content->empty()) {
        std::fprintf(stderr, "gongkai: %s: %s\n", file.c_str(),
                     content.ok() ? "empty file, not submitted" : std::string(content.status().message()).c_str());
        exit_code = 2;
        continue;
      }
      v1::SubmitRequest request;
      request.mutable_document()->set_content(std::move(*content));
      request.mutable_document()->mutable_metadata()->set_document_id(file);
      request.mutable_document()->mutable_metadata()->set_file_name(file);
      if (!writer->Write(request)) break;
    }
    v1::SubmitRequest seal;
    seal.set_seal(true);
    writer->Write(seal);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    if (!status.ok()) {
      std::fprintf(stderr, "gongkai: submit to %s failed: %s\n", address.c_str(), status.error_message().c_str());
      return 2;
    }
  }
  std::fprintf(stderr, "job %s: %lld documents submitted (%lld already there)\n", submitted.job_id().c_str(),
               static_cast<long long>(submitted.accepted()), static_cast<long long>(submitted.duplicates()));
  // Watch.
  bool tty = isatty(fileno(stderr));
  v1::JobProgress last;
  {
    grpc::ClientContext context;
    AddCaller(&context, caller);
    v1::JobRequest request;
    request.set_job_id(submitted.job_id());
    auto reader = stub->Watch(&context, request);
    v1::JobProgress p;
    absl::Time last_line = absl::InfinitePast();
    while (reader->Read(&p)) {
      last = p;
      int64_t done = p.validated() + p.failed();
      if (tty) {
        int width = 40;
        int filled = p.received() > 0 ? static_cast<int>(width * done / p.received()) : 0;
        std::fprintf(stderr, "\r[%s%s] %lld/%lld  failed %lld  %s%s   ", std::string(filled, '#').c_str(),
                     std::string(width - filled, ' ').c_str(), static_cast<long long>(done),
                     static_cast<long long>(p.received()), static_cast<long long>(p.failed()),
                     p.state() == "checking" ? "comparing across the job"
                     : p.seconds_left() > 0  ? absl::StrFormat("%.0fs left", p.seconds_left()).c_str()
                                             : "",
                     p.waiting_for().empty() ? "" : absl::StrCat("  waiting: ", p.waiting_for()).c_str());
      } else if (absl::Now() - last_line > absl::Seconds(2) || p.state() == "done") {
        std::fprintf(stderr, "progress: %lld of %lld done, %lld failed, state %s%s\n", static_cast<long long>(done),
                     static_cast<long long>(p.received()), static_cast<long long>(p.failed()), p.state().c_str(),
                     p.waiting_for().empty() ? "" : absl::StrCat(", waiting: ", p.waiting_for()).c_str());
        last_line = absl::Now();
      }
    }
    if (tty) std::fputc('\n', stderr);
    grpc::Status status = reader->Finish();
    if (!status.ok()) {
      std::fprintf(stderr, "gongkai: watching the job failed: %s\n", status.error_message().c_str());
      return 2;
    }
  }
  // Results, page by page.
  std::vector<aggregator::FindingRow> rows;
  std::string reports_csv = aggregator::ReportsCsv::Header();
  std::string token;
  int64_t failed = 0;
  do {
    grpc::ClientContext context;
    AddCaller(&context, caller);
    v1::ResultsRequest request;
    request.set_job_id(submitted.job_id());
    request.set_page_size(500);
    request.set_page_token(token);
    v1::ResultsResponse page;
    grpc::Status status = stub->Results(&context, request, &page);
    if (!status.ok()) {
      std::fprintf(stderr, "gongkai: reading results failed: %s\n", status.error_message().c_str());
      return 2;
    }
    for (const v1::ReportResult& r : page.results()) {
      if (!r.error().empty()) {
        std::fprintf(stderr, "%s: not counted: %s\n", r.document_id().c_str(), r.error().c_str());
        ++failed;
        continue;
      }
      aggregator::Placement place = aggregator::PlaceReport(r.report());
      std::vector<v1::Finding> findings(r.findings().begin(), r.findings().end());
      reports_csv += aggregator::ReportsCsv::Row(r.document_id(), r.report(), findings, place);
      for (const v1::Finding& f : r.findings()) rows.push_back({r.document_id(), r.report().agency(), place.region, f});
    }
    token = page.next_page_token();
  } while (!token.empty());
  // Summary.
  v1::Aggregate aggregate;
  {
    grpc::ClientContext context;
    AddCaller(&context, caller);
    v1::JobRequest request;
    request.set_job_id(submitted.job_id());
    grpc::Status status = stub->Summary(&context, request, &aggregate);
    if (!status.ok()) {
      std::fprintf(stderr, "gongkai: the summary failed: %s\n", status.error_message().c_str());
      return 2;
    }
  }
  std::string out_dir = args.Value("out", "gongkai-summary");
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  v1::Summary summary = aggregator::Summarize(aggregate, level, *expected);
  if (!WriteExportsAndPrint(out_dir, summary, rows, reports_csv)) return 2;
  if (failed > 0 && exit_code == 0) exit_code = 2;
  return exit_code;
}

absl::StatusOr<Args> ParseBatchArgs(int argc, char** argv) {
  ArgSpec spec{{"help"}, {"gateway", "out", "caller", "level", "regions", "workers", "tls_ca", "tls_cert", "tls_key", "token"}};
  return ParseArgs(argc, argv, 2, spec);
}

}  // namespace

int RunBatch(int argc, char** argv) {
  absl::StatusOr<Args> args = ParseBatchArgs(argc, argv);
  if (!args.ok() || args->Has("help") || args->positional.empty() || args->Value("gateway").empty()) {
    if (!args.ok()) std::fprintf(stderr, "gongkai batch: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kBatchUsage, stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<std::string>> files = ExpandInputs(args->positional);
  if (!files.ok()) {
    std::fprintf(stderr, "gongkai batch: %s\n", std::string(files.status().message()).c_str());
    return 2;
  }
  return RunAgainst(args->Value("gateway"), *args, *files);
}

int RunLocal(int argc, char** argv) {
  absl::StatusOr<Args> args = ParseBatchArgs(argc, argv);
  if (!args.ok() || args->Has("help") || args->positional.empty()) {
    if (!args.ok()) std::fprintf(stderr, "gongkai local: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kBatchUsage, stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<std::string>> files = ExpandInputs(args->positional);
  if (!files.ok()) {
    std::fprintf(stderr, "gongkai local: %s\n", std::string(files.status().message()).c_str());
    return 2;
  }
  SetMinLogSeverity(LogSeverity::kWarning);
  std::string out_dir = args->Value("out", "gongkai-summary");
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  std::string store_path = (std::filesystem::path(out_dir) / "jobs.sqlite").string();
  ServerOptions options;
  options.address = "127.0.0.1:0";
  options.drain = absl::ZeroDuration();
  options.shutdown_grace = absl::Seconds(2);
  parser::ParserServiceImpl parser_service;
  auto validator_service = validator::ValidatorServiceImpl::Create();
  aggregator::AggregatorServiceImpl aggregator_service;
  auto parser_server = Server::Start(options, {{&parser_service, v1::ParserService::service_full_name()}});
  auto validator_server = Server::Start(options, {{validator_service->get(), v1::ValidatorService::service_full_name()}});
  auto aggregator_server = Server::Start(options, {{&aggregator_service, v1::AggregatorService::service_full_name()}});
  if (!parser_server.ok() || !validator_server.ok() || !aggregator_server.ok()) {
    std::fprintf(stderr, "gongkai local: cannot start the services on loopback\n");
    return 2;
  }
  auto store = gateway::OpenSqliteStore(store_path);
  if (!store.ok()) {
    std::fprintf(stderr, "gongkai local: %s\n", std::string(store.status().message()).c_str());
    return 2;
  }
  gateway::EngineOptions engine_options;
  engine_options.parser_target = (*parser_server)->local_address();
  engine_options.validator_target = (*validator_server)->local_address();
  if (!args->Value("workers").empty()) engine_options.workers = std::max(1, std::atoi(args->Value("workers").c_str()));
  gateway::Engine engine(store->get(), engine_options);
  if (absl::Status s = engine.Start(); !s.ok()) {
    std::fprintf(stderr, "gongkai local: %s\n", std::string(s.message()).c_str());
    return 2;
  }
  gateway::GatewayServiceOptions gateway_options;
  gateway_options.aggregator_target = (*aggregator_server)->local_address();
  gateway::GatewayServiceImpl gateway_service(store->get(), &engine, gateway_options);
  auto gateway_server = Server::Start(options, {{&gateway_service, v1::GatewayService::service_full_name()}});
  if (!gateway_server.ok()) {
    std::fprintf(stderr, "gongkai local: cannot start the gateway\n");
    return 2;
  }
  for (auto* s : {parser_server->get(), validator_server->get(), aggregator_server->get(), gateway_server->get()}) {
    s->SetServing(true);
  }
  std::fprintf(stderr, "services on loopback: gateway %s, parser %s, validator %s, aggregator %s\n",
               (*gateway_server)->local_address().c_str(), (*parser_server)->local_address().c_str(),
               (*validator_server)->local_address().c_str(), (*aggregator_server)->local_address().c_str());
  int rc = RunAgainst((*gateway_server)->local_address(), *args, *files);
  (*gateway_server)->Shutdown();
  engine.Stop();
  return rc;
}

}  // namespace gongkai::cli
