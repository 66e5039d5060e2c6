// gongkai bench: per-report latency percentiles through the parser and validator services, per layout,
// against the raw gRPC unary round trip of the same channel (a health check) measured in the same run.
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/server.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "gongkai/v1/validator_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "services/parser/parser_service.h"
#include "services/validator/validator_service.h"
#include "tools/corpus/generator.h"
#include "tools/gongkai/args.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

constexpr char kBenchUsage[] =
    "usage: gongkai bench [--reports N] [--seed S] [--parser HOST:PORT --validator HOST:PORT]\n"
    "  Sends N generated reports (default 2100, every layout) one call at a time through the parser, grouped by\n"
    "  layout after an untimed warm-up round, and then through the validator, and prints per-report latency\n"
    "  (p50, p90, p99) and calls per second by layout,\n"
    "  next to the raw unary round trip (a health check on the same channel) measured in the same run, then\n"
    "  batched calls (32 documents each). Without addresses it starts both services in this process on loopback.\n";

// Latency figures of one series, in microseconds.
std::string Figures(std::vector<double> us) {
  if (us.empty()) return "-";
  std::sort(us.begin(), us.end());
  auto at = [&](double p) { return us[std::min(us.size() - 1, static_cast<size_t>(p * us.size()))]; };
  double total = 0;
  for (double u : us) total += u;
  return absl::StrFormat("%6zu calls  p50 %8.0f µs  p90 %8.0f µs  p99 %8.0f µs  %8.0f calls/s", us.size(), at(0.5),
                         at(0.9), at(0.99), us.size() / (total / 1e6));
}

double Micros(absl::Time start) { return absl::ToDoubleMicroseconds(absl::Now() - start); }

// The Parse request for a generated document.
v1::ParseRequest ParseRequestOf(const corpus::GeneratedReport& d) {
  v1::ParseRequest request;
  request.set_content(d.content);
  request.set_file_name(d.file_name);
  return request;
}

}  // namespace

int RunBench(int argc, char** argv) {
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, {{"help"}, {"reports", "seed", "parser", "validator"}});
  if (!args.ok() || args->Has("help") || !args->positional.empty() ||
      args->values.count("parser") != args->values.count("validator")) {
    if (!args.ok()) std::fprintf(stderr, "gongkai: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kBenchUsage, args.ok() && args->Has("help") ? stdout : stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  corpus::CorpusOptions corpus;
  corpus.reports = 2100;
  if (args->values.count("reports") && (!absl::SimpleAtoi(args->Value("reports"), &corpus.reports) || corpus.reports < 1)) {
    std::fprintf(stderr, "gongkai: --reports expects a positive number\n");
    return 2;
  }
  if (args->values.count("seed") && !absl::SimpleAtoi(args->Value("seed"), &corpus.seed)) {
    std::fprintf(stderr, "gongkai: --seed expects a number\n");
    return 2;
  }

  // The services: given, or started here.
  std::string parser_address = args->Value("parser"), validator_address = args->Value("validator");
  parser::ParserServiceImpl parser_service;
  auto validator_service = validator::ValidatorServiceImpl::Create();
  std::unique_ptr<Server> parser_server, validator_server;
  if (parser_address.empty()) {
    ServerOptions options;
    options.drain = absl::ZeroDuration();
    auto p = Server::Start(options, {{&parser_service, v1::ParserService::service_full_name()}});
    auto v = Server::Start(options, {{validator_service->get(), v1::ValidatorService::service_full_name()}});
    if (!p.ok() || !v.ok()) {
      std::fprintf(stderr, "gongkai bench: cannot start the services on loopback\n");
      return 2;
    }
    parser_server = *std::move(p);
    validator_server = *std::move(v);
    parser_server->SetServing(true);
    validator_server->SetServing(true);
    parser_address = parser_server->local_address();
    validator_address = validator_server->local_address();
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(64 << 20);
  channel_args.SetMaxSendMessageSize(64 << 20);
  auto parser_channel = grpc::CreateCustomChannel(parser_address, grpc::InsecureChannelCredentials(), channel_args);
  auto validator_channel = grpc::CreateCustomChannel(validator_address, grpc::InsecureChannelCredentials(), channel_args);
  auto parser = v1::ParserService::NewStub(parser_channel);
  auto validator = v1::ValidatorService::NewStub(validator_channel);
  auto health = grpc::health::v1::Health::NewStub(parser_channel);

  std::printf("gongkai bench: %d reports (seed %llu), parser %s, validator %s\n\n", corpus.reports,
              static_cast<unsigned long long>(corpus.seed), parser_address.c_str(), validator_address.c_str());
  corpus::Generator generator(corpus);
  std::vector<corpus::GeneratedReport> documents;
  for (int i = 0; i < corpus.reports; ++i) documents.push_back(generator.Next());

  // The raw reference: unary round trips with no work behind them, on the same channel.
  std::vector<double> raw;
  for (int i = 0; i < corpus.reports; ++i) {
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    absl::Time start = absl::Now();
    if (health->Check(&context, request, &response).ok()) raw.push_back(Micros(start));
  }
  std::printf("%-22s %s\n", "raw unary (health)", Figures(raw).c_str());

  // Parse, one document per call, by layout.
  std::map<std::string, std::vector<double>> parse_us;
  std::map<std::string, int64_t> bytes;
  std::vector<v1::AnnualReport> reports;
  int failed = 0;
  // The calls are grouped by layout: interleaved, a text report's call follows a PDF's or a web page's, whose
  // memory the server is still freeing, and its figure says more about its neighbour than about itself.
  std::stable_sort(documents.begin(), documents.end(),
                   [](const corpus::GeneratedReport& a, const corpus::GeneratedReport& b) {
                     return corpus::FormatName(a.format) < corpus::FormatName(b.format);
                   });
  // A warm-up round, not timed: every document once, so that both ends have grown their buffers, arenas and
  // allocator caches before anything is measured.
  for (const corpus::GeneratedReport& d : documents) {
    v1::ParseResponse ignored;
    grpc::ClientContext context;
    (void)parser->Parse(&context, ParseRequestOf(d), &ignored);
  }
  // One response object for every call, as a client that handles answers one after another would keep: read
  // into fresh memory each time (the reports are kept for Validate below), every call also paid the client's
  // first-touch page faults (pasted text: 0.60 ms before this and the grouping, 0.40 ms after).
  v1::ParseResponse response;
  for (const corpus::GeneratedReport& d : documents) {
    const v1::ParseRequest request = ParseRequestOf(d);
    response.Clear();
    grpc::ClientContext context;
    absl::Time start = absl::Now();
    grpc::Status status = parser->Parse(&context, request, &response);
    double us = Micros(start);
    if (!status.ok()) {
      ++failed;
      continue;
    }
    parse_us[corpus::FormatName(d.format)].push_back(us);
    parse_us["all layouts"].push_back(us);
    bytes[corpus::FormatName(d.format)] += static_cast<int64_t>(d.content.size());
    reports.push_back(response.report());  // a copy, outside the timed call
  }
  for (const auto& [layout, us] : parse_us) {
    std::string name = layout == "all layouts" ? "Parse, all layouts" : "Parse " + layout;
    std::string size = bytes.count(layout) ? absl::StrFormat("  (%.1f KB each)", bytes[layout] / 1024.0 / us.size()) : "";
    std::printf("%-22s %s%s\n", name.c_str(), Figures(us).c_str(), size.c_str());
  }

  // Validate, one report per call.
  std::vector<double> validate_us;
  for (const v1::AnnualReport& r : reports) {
    v1::ValidateRequest request;
    *request.mutable_report() = r;
    v1::ValidateResponse response;
    grpc::ClientContext context;
    absl::Time start = absl::Now();
    if (validator->Validate(&context, request, &response).ok()) validate_us.push_back(Micros(start));
  }
  std::printf("%-22s %s\n", "Validate", Figures(validate_us).c_str());

  // Batched: 32 documents per ParseBatch call, 32 reports per ValidateBatch call.
  std::vector<double> batch_parse, batch_validate;
  for (size_t from = 0; from < documents.size(); from += 32) {
    v1::ParseBatchRequest request;
    for (size_t i = from; i < std::min(documents.size(), from + 32); ++i) {
      *request.add_documents() = ParseRequestOf(documents[i]);
    }
    v1::ParseBatchResponse response;
    grpc::ClientContext context;
    absl::Time start = absl::Now();
    if (parser->ParseBatch(&context, request, &response).ok()) batch_parse.push_back(Micros(start) / request.documents_size());
  }
  for (size_t from = 0; from < reports.size(); from += 32) {
    v1::ValidateBatchRequest request;
    for (size_t i = from; i < std::min(reports.size(), from + 32); ++i) *request.add_reports()->mutable_report() = reports[i];
    v1::ValidateBatchResponse response;
    grpc::ClientContext context;
    absl::Time start = absl::Now();
    if (validator->ValidateBatch(&context, request, &response).ok()) {
      batch_validate.push_back(Micros(start) / request.reports_size());
    }
  }
  std::printf("%-22s %s  (per report)\n", "ParseBatch ×32", Figures(batch_parse).c_str());
  std::printf("%-22s %s  (per report)\n", "ValidateBatch ×32", Figures(batch_validate).c_str());
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  std::printf("\npeak RSS of this process%s: %.1f MB; documents refused: %d\n",
              parser_server ? " (client and both services)" : " (client)", usage.ru_maxrss / 1024.0, failed);
  return 0;
}

}  // namespace gongkai::cli
