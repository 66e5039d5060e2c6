// End-to-end batch throughput through the real services on loopback (parser, validator, aggregator,
// gateway in this process, as `gongkai local` runs them), beside this machine's raw gRPC unary and
// streaming round trips with the same payload size, measured in the same run.
//   build/bench/e2e_bench [reports=10000] [workers=16] [batch_size=16] [reference_seconds=3] [workload=province]
//                         [job_wide=1]
// workload "province": as many distinct reports of one province from the corpus generator (tools/corpus),
// as pasted text, a fifth of them with one labelled error (some a copied narrative), generated before the
// clock starts into a temporary file and streamed from it. "province100": 100 of them cycled with new
// document ids (the workload of the 2026-12-04 figures; with the job-wide pass, each planted copy then
// pairs with every cycle of its source). "copies": 100 reports of 100 organs that share one narrative, so
// that batch.copied flags every report (the workload before 2026-12-04: a worst case, not a province).
// "province2y": "province" after an earlier job (not timed) of the same organs' reports of the year before,
// which the job-wide history.* checks find. job_wide 0 turns the job-wide checks off.
// After the batch, for reference_seconds, the same parsing and validation without batching: `workers` callers
// each sending one report at a time (a unary Parse, then a unary Validate), with no store and no aggregator.
// reference_seconds 0 skips both references: under callgrind, for instruction counts that do not depend on
// how fast the machine was.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/echo.grpc.pb.h"
#include "common/logging.h"
#include "common/schema.h"
#include "common/server.h"
#include "gongkai/v1/gateway_service.grpc.pb.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "gongkai/v1/validator_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "services/aggregator/aggregator_service.h"
#include "services/gateway/engine.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/store.h"
#include "services/parser/parser.h"
#include "services/parser/parser_service.h"
#include "services/validator/validator.h"
#include "services/validator/validator_service.h"
#include "tools/corpus/generator.h"
#include "tools/corpus/report_factory.h"
#include "tools/corpus/report_text.h"

namespace {

using namespace gongkai;

class EchoImpl final : public bench::Echo::CallbackService {
  grpc::ServerUnaryReactor* Ping(grpc::CallbackServerContext* c, const bench::EchoMessage* in, bench::EchoMessage* out) override {
    *out = *in;
    auto* r = c->DefaultReactor();
    r->Finish(grpc::Status::OK);
    return r;
  }
  grpc::ServerBidiReactor<bench::EchoMessage, bench::EchoMessage>* Stream(grpc::CallbackServerContext*) override {
    class R : public grpc::ServerBidiReactor<bench::EchoMessage, bench::EchoMessage> {
     public:
      R() { StartRead(&m_); }
      void OnReadDone(bool ok) override {
        if (!ok) return Finish(grpc::Status::OK);
        StartWrite(&m_);
      }
      void OnWriteDone(bool ok) override {
        if (!ok) return Finish(grpc::Status::OK);
        StartRead(&m_);
      }
      void OnDone() override { delete this; }
      bench::EchoMessage m_;
    };
    return new R();
  }
};

// User and system CPU seconds of this process so far.
std::pair<double, double> CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return {u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6, u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6};
}

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

std::unique_ptr<Server> Start(std::vector<ServiceEntry> services) {
  ServerOptions o;
  o.drain = absl::ZeroDuration();
  o.shutdown_grace = absl::Seconds(1);
  auto s = Server::Start(o, std::move(services));
  (*s)->SetServing(true);
  return std::move(*s);
}

// Files of documents for the bench: each a 4-byte length, then the bytes.
void WriteDocument(std::ofstream& out, const std::string& text) {
  uint32_t size = static_cast<uint32_t>(text.size());
  out.write(reinterpret_cast<const char*>(&size), sizeof size);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

std::string ReadDocument(std::ifstream& in) {
  uint32_t size = 0;
  in.read(reinterpret_cast<char*>(&size), sizeof size);
  std::string text(size, '\0');
  in.read(text.data(), size);
  return text;
}

// Submits `n` documents as one sealed job, document i's content from `content(i)` and its id
// `id_prefix` + i. The job's Submit answer.
v1::SubmitResponse SubmitJob(v1::GatewayService::Stub* stub, int n, const std::function<std::string(int)>& content,
                             const std::string& id_prefix) {
  v1::SubmitResponse submitted;
  grpc::ClientContext c;
  auto w = stub->Submit(&c, &submitted);
  for (int i = 0; i < n; ++i) {
    v1::SubmitRequest r;
    r.mutable_document()->set_content(content(i));
    r.mutable_document()->mutable_metadata()->set_document_id(absl::StrCat(id_prefix, i));
    w->Write(r);
  }
  v1::SubmitRequest seal;
  seal.set_seal(true);
  w->Write(seal);
  w->WritesDone();
  w->Finish();
  return submitted;
}

// Runs `one(i)` for i = 0, 1, 2, ... on `threads` threads for `seconds`; answers how many calls a second
// returned true and adds those that returned false to *failed.
double RunFor(int threads, int seconds, int64_t* failed, const std::function<bool(size_t)>& one) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> ok{0}, bad{0};
  std::vector<std::thread> running;
  auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    running.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); !stop; i += static_cast<size_t>(threads)) ++(one(i) ? ok : bad);
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& t : running) t.join();
  *failed += bad;
  return static_cast<double>(ok) / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  // GONGKAI_BENCH_LOG=1: the services' info logs (the job-wide checks' figures) and the job's progress.
  SetMinLogSeverity(getenv("GONGKAI_BENCH_LOG") != nullptr ? LogSeverity::kInfo : LogSeverity::kWarning);
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);  // as the service binaries run
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  int workers = argc > 2 ? std::atoi(argv[2]) : 16;
  int batch_size = argc > 3 ? std::atoi(argv[3]) : 16;
  int reference_seconds = argc > 4 ? std::atoi(argv[4]) : 3;
  std::string workload = argc > 5 ? argv[5] : "province";
  bool job_wide = argc > 6 ? std::atoi(argv[6]) != 0 : true;
  if (workload != "province" && workload != "province100" && workload != "province2y" && workload != "copies") {
    std::fprintf(stderr, "workload must be province, province100, province2y or copies, not %s\n", workload.c_str());
    return 2;
  }
  // "province2y": the same organs' reports of the year before go first, as an earlier job (not timed).
  const bool two_years = workload == "province2y";
  if (two_years) workload = "province";
  std::filesystem::path dir = std::filesystem::temp_directory_path() / absl::StrCat("gongkai-e2e-bench-", getpid());
  std::filesystem::create_directories(dir);
  std::vector<std::string> texts;
  size_t payload = 0;
  // "province": every document distinct, on disk (a province's reports need not fit in the bench's memory).
  std::ifstream documents;
  if (two_years) {
    corpus::CorpusOptions options;
    options.reports = n;
    options.formats = {corpus::Format::kTabs};
    options.region = "23";
    options.year = 2023;
    corpus::Generator generator(options);
    std::ofstream out(dir / "last_year.bin", std::ios::binary);
    for (int i = 0; i < options.reports; ++i) WriteDocument(out, generator.Next().content);
  }
  if (workload == "province" || workload == "province100") {
    corpus::CorpusOptions options;
    options.reports = workload == "province" ? n : 100;
    options.formats = {corpus::Format::kTabs};
    options.region = "23";
    corpus::Generator generator(options);
    std::ofstream out(dir / "documents.bin", std::ios::binary);
    for (int i = 0; i < options.reports; ++i) {
      std::string text = generator.Next().content;
      payload += text.size();
      if (workload == "province100") {
        texts.push_back(std::move(text));
        continue;
      }
      WriteDocument(out, text);
    }
    if (workload == "province") documents.open(dir / "documents.bin", std::ios::binary);
    if (workload == "province") payload /= static_cast<size_t>(n);
  }
  // "copies": 100 consistent reports rendered with the renderer's one narrative.
  for (uint32_t i = 0; workload == "copies" && i < 100; ++i) {
    v1::AnnualReport r = corpus::ConsistentReport(i);
    std::map<std::string, std::string> cells;
    for (const v1::Table* t : {&r.table2(), &r.table3(), &r.table4()}) {
      for (const v1::Cell& c : t->cells()) cells[c.key()] = CellValueText(c);
    }
    texts.push_back(corpus::RenderReport(cells, v1::TEMPLATE_VERSION_V2021, corpus::Layout::kTabs,
                                          absl::StrCat("第", i, "镇人民政府")));
    payload += texts.back().size();
  }
  if (!texts.empty()) payload /= texts.size();
  // The reference: raw unary and streaming round trips of a payload of the same size.
  EchoImpl echo_service;
  auto echo = Start({{&echo_service, "gongkai.bench.Echo"}});
  auto echo_stub = bench::Echo::NewStub(grpc::CreateChannel(echo->local_address(), grpc::InsecureChannelCredentials()));
  bench::EchoMessage msg;
  msg.set_payload(std::string(payload, 'x'));
  auto t0 = std::chrono::steady_clock::now();
  int unary = 0;
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(reference_seconds)) {
    grpc::ClientContext c;
    bench::EchoMessage out;
    echo_stub->Ping(&c, msg, &out);
    ++unary;
  }
  double unary_rate = unary / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t0 = std::chrono::steady_clock::now();
  int streamed = 0;
  {
    grpc::ClientContext c;
    auto stream = echo_stub->Stream(&c);
    bench::EchoMessage out;
    while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(reference_seconds)) {
      stream->Write(msg);
      stream->Read(&out);
      ++streamed;
    }
    stream->WritesDone();
    stream->Finish();
  }
  double stream_rate = streamed / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  echo->Shutdown();

  // The suite on loopback.
  parser::ParserServiceImpl parser_service;
  auto validator_service = *validator::ValidatorServiceImpl::Create();
  aggregator::AggregatorServiceImpl aggregator_service;
  auto ps = Start({{&parser_service, v1::ParserService::service_full_name()}});
  auto vs = Start({{validator_service.get(), v1::ValidatorService::service_full_name()}});
  auto as = Start({{&aggregator_service, v1::AggregatorService::service_full_name()}});
  auto store = *gateway::OpenSqliteStore((dir / "jobs.sqlite").string());
  gateway::EngineOptions eo;
  eo.parser_target = ps->local_address();
  eo.validator_target = vs->local_address();
  eo.workers = workers;
  eo.batch_size = batch_size;
  eo.job_wide_copies = job_wide;
  eo.job_wide_history = job_wide;
  gateway::Engine engine(store.get(), eo);
  if (!engine.Start().ok()) return 1;
  gateway::GatewayServiceOptions go;
  go.aggregator_target = as->local_address();
  go.watch_interval = absl::Milliseconds(500);  // the service default
  gateway::GatewayServiceImpl gateway_service(store.get(), &engine, go);
  auto gs = Start({{&gateway_service, v1::GatewayService::service_full_name()}});
  grpc::ChannelArguments channel_args;
  channel_args.SetMaxReceiveMessageSize(256 << 20);  // as the CLI: a province's summary exceeds 4 MB
  auto stub = v1::GatewayService::NewStub(
      grpc::CreateCustomChannel(gs->local_address(), grpc::InsecureChannelCredentials(), channel_args));

  if (two_years) {
    // Last year's job, sealed and finished before the clock starts.
    auto last_start = std::chrono::steady_clock::now();
    std::ifstream last_year(dir / "last_year.bin", std::ios::binary);
    v1::SubmitResponse last_submitted = SubmitJob(stub.get(), n, [&](int) { return ReadDocument(last_year); }, "last-");
    grpc::ClientContext c;
    v1::JobRequest r;
    r.set_job_id(last_submitted.job_id());
    auto reader = stub->Watch(&c, r);
    v1::JobProgress progress;
    while (reader->Read(&progress)) {
    }
    reader->Finish();
    std::printf("last year's job of %d reports done in %.1f s (not in the figures below)\n", n,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - last_start).count());
  }

  auto start = std::chrono::steady_clock::now();
  std::pair<double, double> cpu_start = CpuSeconds();
  v1::SubmitResponse submitted = SubmitJob(
      stub.get(), n,
      [&](int i) { return texts.empty() ? ReadDocument(documents) : texts[static_cast<size_t>(i) % texts.size()]; }, "d");
  double submit_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  v1::JobProgress last;
  {
    grpc::ClientContext c;
    v1::JobRequest r;
    r.set_job_id(submitted.job_id());
    auto reader = stub->Watch(&c, r);
    while (reader->Read(&last)) {
      if (getenv("GONGKAI_BENCH_LOG") != nullptr) {  // the job's progress as Watch streams it
        std::fprintf(stderr, "%.2f s: %lld validated, %s\n",
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                     static_cast<long long>(last.validated()), last.state().c_str());
      }
    }
    reader->Finish();
  }
  double done_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::pair<double, double> cpu_done = CpuSeconds();
  v1::Aggregate aggregate;
  {
    grpc::ClientContext c;
    v1::JobRequest r;
    r.set_job_id(submitted.job_id());
    grpc::Status status = stub->Summary(&c, r, &aggregate);
    if (!status.ok()) std::fprintf(stderr, "summary: %s\n", status.error_message().c_str());
  }
  double summary_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() - done_s;
  int64_t counted = 0;
  for (const auto& [code, node] : aggregate.nodes()) counted += node.reports();
  double rate = n / done_s;
  std::printf("workload %s, job-wide checks %s; payload %zu bytes; raw gRPC on this machine: %.0f unary round trips/s, %.0f streamed round trips/s\n",
              two_years ? "province2y" : workload.c_str(), job_wide ? "on" : "off", payload, unary_rate, stream_rate);
  std::printf("batch of %d reports (workers %d, batch size %d): submitted in %.1f s, all parsed and validated in "
              "%.1f s = %.0f reports/s; summary of %lld reports in %.1f s; failed %lld\n",
              n, workers, batch_size, submit_s, done_s, rate, static_cast<long long>(counted), summary_s,
              static_cast<long long>(last.failed()));
  std::printf("batch reports/s ÷ raw unary round trips/s = %.2f; peak RSS of the one process holding all four "
              "services and the client: %.0f MB; job store %.0f MB on disk\n",
              rate / unary_rate, PeakRssMb(),
              std::filesystem::file_size(dir / "jobs.sqlite") / 1e6);
  auto count = [&](const char* rule) {
    auto it = last.rule_counts().find(rule);
    return static_cast<long long>(it == last.rule_counts().end() ? 0 : it->second);
  };
  if (reference_seconds > 0) {
    // The same parsing and validation without batching: `workers` callers, each sending one report at a
    // time as a unary Parse and then a unary Validate to the same servers, with no store and no
    // aggregator. What batching and the rest of the gateway are measured against.
    std::vector<std::string> sample = texts;
    if (sample.empty()) {
      std::ifstream again(dir / "documents.bin", std::ios::binary);
      for (int i = 0; i < std::min(n, 2000); ++i) sample.push_back(ReadDocument(again));
    }
    auto parser_stub = v1::ParserService::NewStub(grpc::CreateChannel(ps->local_address(), grpc::InsecureChannelCredentials()));
    auto validator_stub =
        v1::ValidatorService::NewStub(grpc::CreateChannel(vs->local_address(), grpc::InsecureChannelCredentials()));
    int64_t call_errors = 0;
    double unbatched_rate = RunFor(workers, reference_seconds, &call_errors, [&](size_t i) {
      v1::ParseRequest parse;
      parse.set_content(sample[i % sample.size()]);
      v1::ParseResponse parsed;
      grpc::ClientContext pc;
      if (!parser_stub->Parse(&pc, parse, &parsed).ok()) return false;
      v1::ValidateRequest validate;
      validate.mutable_report()->Swap(parsed.mutable_report());
      v1::ValidateResponse findings;
      grpc::ClientContext vc;
      return validator_stub->Validate(&vc, validate, &findings).ok();
    });
    std::printf("the same parsing and validation unbatched (%d callers, one unary Parse then one unary Validate per "
                "report, no store, no aggregator): %.0f reports/s (%lld calls failed); batch path ÷ unbatched = %.2f\n",
                workers, unbatched_rate, static_cast<long long>(call_errors), rate / unbatched_rate);
    // The work itself: the libraries in this process, no gRPC, no store, on as many threads as cores. No
    // path through the services can beat it on this machine.
    const validator::Validator rules = *validator::Validator::Create();
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    int64_t unreadable = 0;
    double work_rate = RunFor(cores, reference_seconds, &unreadable, [&](size_t i) {
      absl::StatusOr<v1::AnnualReport> report = parser::ParseDocument(sample[i % sample.size()]);
      if (!report.ok()) return false;
      rules.Validate(*report);
      return true;
    });
    std::printf("the same parsing and validation in this process, no gRPC (%d threads): %.0f reports/s; batch path "
                "÷ that = %.2f, raw unary round trips ÷ that = %.2f\n",
                cores, work_rate, rate / work_rate, unary_rate / work_rate);
  }
  std::printf("findings: batch.copied %lld, history.copied %lld, history.carry %lld\n", count("batch.copied"),
              count("history.copied"), count("history.carry"));
  // CPU is steadier than wall time on a shared virtual machine: the figure to compare changes by.
  double user = cpu_done.first - cpu_start.first, sys = cpu_done.second - cpu_start.second;
  std::printf("CPU from first document to last result (client and all four services): %.1f s user + %.1f s sys = "
              "%.0f µs per report\n", user, sys, (user + sys) * 1e6 / n);
  gs->Shutdown();
  engine.Stop();
  std::filesystem::remove_all(dir);
  return 0;
}
