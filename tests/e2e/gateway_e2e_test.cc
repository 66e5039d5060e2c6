// End-to-end and fault tests of the gateway: real servers on loopback (two parser and two validator
// replicas), the real SQLite store in a temporary folder, and the gateway binary killed and restarted.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/schema.h"
#include "common/server.h"
#include "gongkai/v1/gateway_service.grpc.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/aggregator/aggregate.h"
#include "services/aggregator/aggregator_service.h"
#include "services/gateway/engine.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/store.h"
#include "services/parser/parser_service.h"
#include "services/validator/validator_service.h"
#include "tools/corpus/generator.h"
#include "tools/corpus/report_text.h"

namespace gongkai {
namespace {

// The text of report i: every cell distinct, t3.received_new.natural_person = i.
std::string ReportText(int i) {
  auto values = corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  values["t3.received_new.natural_person"] = absl::StrCat(i);
  return corpus::RenderReport(values, v1::TEMPLATE_VERSION_V2021, corpus::Layout::kTabs, absl::StrCat("测试第", i, "号局"));
}

std::unique_ptr<Server> StartServer(std::vector<ServiceEntry> services) {
  ServerOptions options;
  options.drain = absl::ZeroDuration();
  options.shutdown_grace = absl::Milliseconds(200);
  auto server = Server::Start(options, std::move(services));
  EXPECT_TRUE(server.ok()) << server.status();
  (*server)->SetServing(true);
  return std::move(*server);
}

// Two parser and two validator replicas and an aggregator.
struct Replicas {
  parser::ParserServiceImpl parser_service;
  std::unique_ptr<validator::ValidatorServiceImpl> validator_service = *validator::ValidatorServiceImpl::Create();
  aggregator::AggregatorServiceImpl aggregator_service;
  std::unique_ptr<Server> parsers[2], validators[2], aggregator;

  // `validator_options`: the validators' rule configuration (a province's).
  explicit Replicas(validator::ValidatorServiceOptions validator_options = {}) {
    validator_service = *validator::ValidatorServiceImpl::Create(std::move(validator_options));
    for (auto& p : parsers) p = StartServer({{&parser_service, v1::ParserService::service_full_name()}});
    for (auto& v : validators) v = StartServer({{validator_service.get(), v1::ValidatorService::service_full_name()}});
    aggregator = StartServer({{&aggregator_service, v1::AggregatorService::service_full_name()}});
  }
  std::string ParserTarget() const {
    return absl::StrCat("ipv4:", parsers[0]->local_address(), ",", parsers[1]->local_address());
  }
  std::string ValidatorTarget() const {
    return absl::StrCat("ipv4:", validators[0]->local_address(), ",", validators[1]->local_address());
  }
};

class GatewayClient {
 public:
  explicit GatewayClient(const std::string& address)
      : stub_(v1::GatewayService::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {}

  // Submits documents [from, to) (plus a bad one when `bad`), sealed when `seal`. Returns the job id.
  std::string Submit(int from, int to, bool bad, bool seal, const std::string& job = "") {
    std::vector<v1::Document> documents;
    for (int i = from; i < to; ++i) {
      v1::Document& d = documents.emplace_back();
      d.set_content(ReportText(i));
      d.mutable_metadata()->set_document_id(absl::StrCat("doc-", i));
    }
    if (bad) {
      v1::Document& d = documents.emplace_back();
      d.set_content(std::string("\xff\xfe\xfd binary"));
      d.mutable_metadata()->set_document_id("doc-bad");
    }
    return SubmitDocuments(documents, "province-office", seal, job);
  }

  // Submits `documents` as `caller` to job `job` (a new one when empty), sealed when `seal`. Returns the job id.
  std::string SubmitDocuments(const std::vector<v1::Document>& documents, const std::string& caller = "province-office",
                              bool seal = true, const std::string& job = "") {
    grpc::ClientContext context;
    context.AddMetadata("x-gongkai-caller", caller);
    v1::SubmitResponse response;
    auto writer = stub_->Submit(&context, &response);
    for (const v1::Document& d : documents) {
      v1::SubmitRequest r;
      r.set_job_id(job);
      *r.mutable_document() = d;
      writer->Write(r);
    }
    v1::SubmitRequest end;
    end.set_job_id(job);
    end.set_seal(seal);
    writer->Write(end);
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.job_id();
  }

  // Watches `job` until the stream ends, `stop` returns true for a progress, or `limit` (a bound, not a
  // speed) passes: every progress read into `*seen`; the stream's status (CANCELLED when `stop` ended it).
  grpc::Status Watch(const std::string& job, absl::Duration limit, std::vector<v1::JobProgress>* seen,
                     const std::function<bool(const v1::JobProgress&)>& stop = nullptr) {
    grpc::ClientContext context;
    context.AddMetadata("x-gongkai-caller", "province-office");
    context.set_deadline(absl::ToChronoTime(absl::Now() + limit));
    v1::JobRequest r;
    r.set_job_id(job);
    auto reader = stub_->Watch(&context, r);
    v1::JobProgress progress;
    while (reader->Read(&progress)) {
      seen->push_back(progress);
      if (stop && stop(progress)) {
        context.TryCancel();
        break;
      }
    }
    return reader->Finish();
  }

  v1::JobProgress Progress(const std::string& job) {
    grpc::ClientContext context;
    context.AddMetadata("x-gongkai-caller", "province-office");
    v1::ListJobsResponse list;
    stub_->List(&context, {}, &list);
    for (const auto& j : list.jobs()) {
      if (j.job_id() == job) return j;
    }
    return {};
  }

  bool WaitDone(const std::string& job, absl::Duration limit) {
    absl::Time end = absl::Now() + limit;
    while (absl::Now() < end) {
      if (Progress(job).state() == "done") return true;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return false;
  }

  std::vector<v1::ReportResult> Results(const std::string& job) {
    std::vector<v1::ReportResult> out;
    std::string token;
    do {
      grpc::ClientContext context;
      context.AddMetadata("x-gongkai-caller", "province-office");
      v1::ResultsRequest request;
      request.set_job_id(job);
      request.set_page_size(97);
      request.set_page_token(token);
      v1::ResultsResponse page;
      EXPECT_TRUE(stub_->Results(&context, request, &page).ok());
      for (const auto& r : page.results()) out.push_back(r);
      token = page.next_page_token();
    } while (!token.empty());
    return out;
  }

  grpc::Status Summary(const std::string& job, v1::Aggregate* out, const std::string& caller = "province-office") {
    grpc::ClientContext context;
    context.AddMetadata("x-gongkai-caller", caller);
    v1::JobRequest request;
    request.set_job_id(job);
    return stub_->Summary(&context, request, out);
  }

  v1::GatewayService::Stub* stub() { return stub_.get(); }

 private:
  std::unique_ptr<v1::GatewayService::Stub> stub_;
};

// Every document of [0, n) exactly once, parsed right; the bad one failed with its reason.
void ExpectEveryReportOnce(const std::vector<v1::ReportResult>& results, int n, bool bad) {
  std::map<std::string, int> seen;
  int64_t sum = 0;
  for (const auto& r : results) {
    ++seen[r.document_id()];
    if (r.document_id() == "doc-bad") {
      EXPECT_NE(r.error().find("UTF-8"), std::string::npos) << r.error();
      continue;
    }
    ASSERT_TRUE(r.error().empty()) << r.document_id() << ": " << r.error();
    sum += FindCell(r.report(), "t3.received_new.natural_person")->int_value();
    EXPECT_FALSE(r.findings().empty());  // the distinct values break the tables' equations
  }
  EXPECT_EQ(static_cast<int>(results.size()), n + (bad ? 1 : 0));
  for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  EXPECT_EQ(sum, static_cast<int64_t>(n) * (n - 1) / 2);
}

// The gateway binary, started on `address` over `store_path` (a child process), with calls of four reports.
pid_t StartGatewayProcess(const char* binary, const std::string& address, const std::string& store_path,
                          const std::string& parser_target, const std::string& validator_target,
                          const std::string& aggregator_target) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string a = absl::StrCat("--address=", address), s = absl::StrCat("--store=", store_path),
                p = absl::StrCat("--parser=", parser_target), v = absl::StrCat("--validator=", validator_target),
                g = absl::StrCat("--aggregator=", aggregator_target);
    execl(binary, binary, a.c_str(), s.c_str(), p.c_str(), v.c_str(), g.c_str(), "--batch_size=4", "--workers=2",
          "--drain_seconds=0", static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

class GatewayE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / absl::StrCat("gongkai-e2e-", getpid(), "-", counter_++);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // An in-process gateway over `replicas`: its store in this test's folder, its engine started with `eo`
  // (targets filled in when empty), its service on loopback. The engine stops before the rest goes.
  struct InProcessGateway {
    std::unique_ptr<gateway::JobStore> store;
    std::unique_ptr<gateway::Engine> engine;
    std::unique_ptr<gateway::GatewayServiceImpl> service;
    std::unique_ptr<Server> server;
    ~InProcessGateway() {
      if (engine != nullptr) engine->Stop();
    }
  };
  std::unique_ptr<InProcessGateway> StartGateway(const Replicas& replicas, gateway::EngineOptions eo,
                                                 gateway::GatewayServiceOptions go = {}) {
    auto gw = std::make_unique<InProcessGateway>();
    auto store = gateway::OpenSqliteStore((dir_ / "jobs.sqlite").string());
    EXPECT_TRUE(store.ok()) << store.status();
    gw->store = std::move(*store);
    if (eo.parser_target.empty()) eo.parser_target = replicas.ParserTarget();
    if (eo.validator_target.empty()) eo.validator_target = replicas.ValidatorTarget();
    gw->engine = std::make_unique<gateway::Engine>(gw->store.get(), eo);
    EXPECT_TRUE(gw->engine->Start().ok());
    go.aggregator_target = replicas.aggregator->local_address();
    gw->service = std::make_unique<gateway::GatewayServiceImpl>(gw->store.get(), gw->engine.get(), go);
    gw->server = StartServer({{gw->service.get(), v1::GatewayService::service_full_name()}});
    return gw;
  }

  // The gateway binary as a child process on a loopback port of its own (`salt` keeps two tests apart),
  // its store in this test's folder, over `replicas` (validators at `validator_target` when given).
  struct GatewayProcess {
    std::string address;
    std::function<pid_t()> start;
  };
  GatewayProcess GatewayBinary(const char* binary, const Replicas& replicas, int salt,
                               const std::string& validator_target = "") {
    GatewayProcess g;
    g.address = absl::StrCat("127.0.0.1:", 20000 + ((getpid() + salt) % 20000));
    std::string store_path = (dir_ / "jobs.sqlite").string();
    std::string validators = validator_target.empty() ? replicas.ValidatorTarget() : validator_target;
    g.start = [=, &replicas] {
      return StartGatewayProcess(binary, g.address, store_path, replicas.ParserTarget(), validators,
                                 replicas.aggregator->local_address());
    };
    return g;
  }

  std::filesystem::path dir_;
  static inline int counter_ = 0;
};

TEST_F(GatewayE2E, ABatchThroughTwoParserAndTwoValidatorReplicas) {
  Replicas replicas;
  gateway::EngineOptions eo;
  eo.batch_size = 8;
  gateway::GatewayServiceOptions go;
  go.watch_interval = absl::Milliseconds(50);
  auto gw = StartGateway(replicas, eo, go);
  GatewayClient client(gw->server->local_address());
  // A job fed in two calls, then sealed; a document submitted twice counts once.
  std::string job = client.Submit(0, 60, /*bad=*/true, /*seal=*/false);
  client.Submit(50, 120, false, /*seal=*/true, job);
  ASSERT_TRUE(client.WaitDone(job, absl::Seconds(60)));
  std::vector<v1::ReportResult> results = client.Results(job);
  ExpectEveryReportOnce(results, 120, true);
  v1::JobProgress p = client.Progress(job);
  EXPECT_EQ(p.received(), 121);
  EXPECT_EQ(p.failed(), 1);
  EXPECT_GT(p.rule_counts().at("t3.balance"), 0);
  // Watch streams progress until the end.
  {
    std::vector<v1::JobProgress> seen;
    EXPECT_TRUE(client.Watch(job, absl::Seconds(60), &seen).ok());
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().state(), "done");
  }
  // Summary: the 120 reports, all with errors (the distinct values), none summed by default.
  v1::Aggregate aggregate;
  ASSERT_TRUE(client.Summary(job, &aggregate).ok());
  int64_t reports = 0;
  for (const auto& [code, node] : aggregate.nodes()) reports += node.reports();
  EXPECT_EQ(reports, 120);
  // That summary came from the running aggregate, fed as results completed. It equals the results added up
  // here, and what a gateway that saw none of them (a restart, another replica) adds up from the store.
  v1::Aggregate expected;
  for (const v1::ReportResult& r : results) {
    if (!r.has_report()) continue;
    v1::CheckedReport checked;
    *checked.mutable_report() = r.report();
    *checked.mutable_findings() = r.findings();
    aggregator::AddReport(checked, &expected);
  }
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(aggregate, expected));
  {
    gateway::GatewayServiceOptions fresh_options = go;
    fresh_options.aggregator_target = replicas.aggregator->local_address();
    gateway::GatewayServiceImpl fresh(gw->store.get(), nullptr, fresh_options);
    auto fresh_server = StartServer({{&fresh, v1::GatewayService::service_full_name()}});
    GatewayClient fresh_client(fresh_server->local_address());
    v1::Aggregate from_store;
    ASSERT_TRUE(fresh_client.Summary(job, &from_store).ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_store, expected));
  }
  // Filters: only results with an ERROR, only one rule.
  {
    grpc::ClientContext context;
    context.AddMetadata("x-gongkai-caller", "province-office");
    v1::ResultsRequest r;
    r.set_job_id(job);
    r.set_rule_id("t3.balance");
    r.set_page_size(1000);
    v1::ResultsResponse page;
    grpc::Status status = client.stub()->Results(&context, r, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_GT(page.results_size(), 0);
    EXPECT_FALSE(page.next_page_token().empty());  // cut by size: 120 full reports exceed 3 MB
    for (const auto& result : page.results()) {
      bool has = false;
      for (const auto& f : result.findings()) has = has || f.rule_id() == "t3.balance";
      EXPECT_TRUE(has);
    }
  }
  // Another caller does not see the job.
  v1::Aggregate other;
  EXPECT_EQ(client.Summary(job, &other, "another-office").error_code(), grpc::StatusCode::NOT_FOUND);
}

// batch.copied reaches across a whole job, not only across the reports of one validator call: generated
// reports whose narratives were copied from the report before them are submitted far apart (all even
// indexes, then all odd ones), so that each copy and its source are validated in different calls.
// The gateway's threads wait on the store's signals instead of polling: with every poll an hour apart, new
// work still starts at once, a finished job still goes through its job-wide checks, and Watch still ends
// the moment the job does. Two jobs, the second submitted after the engine has gone idle.
TEST_F(GatewayE2E, WorkChecksAndWatchMoveOnSignalsNotPolls) {
  Replicas replicas;
  gateway::EngineOptions eo;
  eo.batch_size = 8;
  eo.idle_poll = absl::Hours(1);
  gateway::GatewayServiceOptions go;
  go.watch_interval = absl::Hours(1);
  auto gw = StartGateway(replicas, eo, go);
  GatewayClient client(gw->server->local_address());
  for (int round = 0; round < 2; ++round) {
    std::string job = client.Submit(0, 30, /*bad=*/false, /*seal=*/true);
    // A gateway that waited for its polls would take an hour.
    std::vector<v1::JobProgress> seen;
    grpc::Status status = client.Watch(job, absl::Seconds(120), &seen);
    ASSERT_TRUE(status.ok()) << "round " << round << ": " << status.error_message();
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().state(), "done") << "round " << round;
    // One progress at the start and one for each state change (running → checking → done), no more.
    EXPECT_LE(seen.size(), 3u) << "round " << round;
    EXPECT_EQ(seen.back().validated(), 30);
    ExpectEveryReportOnce(client.Results(job), 30, false);
  }
}

TEST_F(GatewayE2E, CopiedNarrativesAreFoundAcrossTheWholeJobOnce) {
  corpus::CorpusOptions co;
  co.reports = 240;
  co.seed = 7;
  co.error_share = 1.0;
  co.formats = {corpus::Format::kTabs};
  corpus::Generator generator(co);
  std::vector<corpus::GeneratedReport> generated;
  for (int i = 0; i < co.reports; ++i) generated.push_back(generator.Next());
  // A source and the copies of its narrative are all copies of each other: every ordered pair in a group.
  std::map<std::string, std::set<std::string>> groups;  // source -> source and its copies
  for (const auto& g : generated) {
    if (g.injected_rule != "batch.copied") continue;
    groups[g.copied_from].insert(g.copied_from);
    groups[g.copied_from].insert(g.file_name);
  }
  std::set<std::pair<std::string, std::string>> planted;
  for (const auto& [source, members] : groups) {
    for (const std::string& a : members) {
      for (const std::string& b : members) {
        if (a != b) planted.insert({a, b});
      }
    }
  }
  ASSERT_GE(planted.size(), 8u) << "the generator planted too few copies for this test to mean anything";

  // Copied pairs found by a job of these reports, as (report, the other report named) with repeats.
  // `copied_severity`: batch.copied's severity in the validators' configuration.
  auto run = [&](bool job_wide, v1::JobProgress* progress, v1::Aggregate* summary,
                 v1::Severity copied_severity = v1::SEVERITY_WARNING) {
    validator::ValidatorServiceOptions vo;
    v1::RuleConfig::Override* o = vo.default_rules.add_overrides();
    o->set_rule_id("batch.copied");
    o->set_severity(copied_severity);
    Replicas replicas(vo);
    gateway::EngineOptions eo;
    eo.batch_size = 4;
    eo.workers = 3;
    eo.job_wide_copies = job_wide;
    auto gw = StartGateway(replicas, eo);
    GatewayClient client(gw->server->local_address());
    std::vector<v1::Document> documents;
    for (int parity : {0, 1}) {
      for (size_t i = parity; i < generated.size(); i += 2) {
        v1::Document& d = documents.emplace_back();
        d.set_content(generated[i].content);
        d.mutable_metadata()->set_document_id(generated[i].file_name);
        d.mutable_metadata()->set_file_name(generated[i].file_name);
      }
    }
    std::string job = client.SubmitDocuments(documents);
    EXPECT_TRUE(client.WaitDone(job, absl::Seconds(60)));
    std::multiset<std::pair<std::string, std::string>> found;
    for (const v1::ReportResult& r : client.Results(job)) {
      for (const v1::Finding& f : r.findings()) {
        if (f.rule_id() == "batch.copied") found.insert({r.document_id(), f.args().at("other_document")});
      }
    }
    *progress = client.Progress(job);
    EXPECT_TRUE(client.Summary(job, summary).ok());
    // The summary (from the running aggregate, the job-wide findings fed after their reports; or, when
    // they took a report out of the sums, added up again) is what a gateway that saw nothing adds up.
    gateway::GatewayServiceOptions fresh_options;
    fresh_options.aggregator_target = replicas.aggregator->local_address();
    gateway::GatewayServiceImpl fresh(gw->store.get(), nullptr, fresh_options);
    auto fresh_server = StartServer({{&fresh, v1::GatewayService::service_full_name()}});
    v1::Aggregate from_store;
    EXPECT_TRUE(GatewayClient(fresh_server->local_address()).Summary(job, &from_store).ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*summary, from_store));
    return found;
  };
  v1::JobProgress progress, batch_only_progress;
  v1::Aggregate summary, batch_only_summary;
  std::multiset<std::pair<std::string, std::string>> found = run(true, &progress, &summary);
  // Every planted copy, both ways, exactly once; nothing else.
  EXPECT_EQ(found.size(), planted.size());
  for (const auto& pair : planted) EXPECT_EQ(found.count(pair), 1u) << pair.first << " / " << pair.second;
  EXPECT_EQ(progress.state(), "done");
  EXPECT_EQ(progress.rule_counts().at("batch.copied"), static_cast<int64_t>(planted.size()));
  int64_t summed = 0;
  for (const auto& [code, node] : summary.nodes()) {
    auto it = node.rule_counts().find("batch.copied");
    if (it != node.rule_counts().end()) summed += it->second;
  }
  EXPECT_EQ(summed, static_cast<int64_t>(planted.size()));  // the summary counts what the pass added
  // A province that makes batch.copied an error: the same pairs, and reports taken out of the sums.
  {
    v1::JobProgress error_progress;
    v1::Aggregate error_summary;
    EXPECT_EQ(run(true, &error_progress, &error_summary, v1::SEVERITY_ERROR), found);
    int64_t excluded = 0;
    for (const auto& [code, node] : error_summary.nodes()) {
      auto it = node.excluded_by_rule().find("batch.copied");
      if (it != node.excluded_by_rule().end()) excluded += it->second;
    }
    std::set<std::string> copied_reports;  // every one an error now, and out of the sums for it
    for (const auto& [a, b] : planted) copied_reports.insert(a);
    EXPECT_EQ(excluded, static_cast<int64_t>(copied_reports.size()));
  }
  // Without the job-wide pass, calls of four reports each see only the pairs that happened to share one.
  std::multiset<std::pair<std::string, std::string>> batch_only = run(false, &batch_only_progress, &batch_only_summary);
  EXPECT_LT(batch_only.size() * 2, planted.size());
}

// The history.* rules reach last year's report of the same organ wherever the caller filed it: in an
// earlier job (sent with the report to the validator), or later in this job (checked when the job ends).
// Another caller's jobs are never looked in.
TEST_F(GatewayE2E, LastYearsReportIsFoundInTheCallersEarlierJobsAndInTheJob) {
  Replicas replicas;
  gateway::EngineOptions eo;
  eo.batch_size = 2;
  eo.workers = 1;  // calls in submission order: 丁's 2024 report is validated before its 2023 one
  auto gw = StartGateway(replicas, eo);
  GatewayClient client(gw->server->local_address());
  auto values = corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
  auto text = [&](const std::string& agency, int year, bool carry_matches) {
    auto cells = values;
    if (carry_matches) {  // this year's 上年结转 equals last year's 结转下年度继续办理, column by column
      for (const std::string& col : Table3Columns()) {
        cells[absl::StrCat("t3.carried_over.", col)] = cells[absl::StrCat("t3.carried_forward.", col)];
      }
    }
    return corpus::RenderReport(cells, v1::TEMPLATE_VERSION_V2021, corpus::Layout::kTabs, agency, year);
  };
  auto submit = [&](const std::string& caller, const std::vector<std::pair<std::string, std::string>>& docs) {
    std::vector<v1::Document> documents;
    for (const auto& [id, content] : docs) {
      v1::Document& d = documents.emplace_back();
      d.set_content(content);
      d.mutable_metadata()->set_document_id(id);
    }
    return client.SubmitDocuments(documents, caller);
  };
  // 2023: organs 甲 and 乙, filed by the province office.
  std::string last_year = submit("province-office", {{"甲-2023", text("甲县人民政府", 2023, false)},
                                                     {"乙-2023", text("乙县人民政府", 2023, false)}});
  ASSERT_TRUE(client.WaitDone(last_year, absl::Seconds(30)));
  // 2024: 甲 (carry matching last year), 乙 (not matching), 丙 (no report last year) and 丁, whose 2023 report
  // comes last in this same job, three calls after its 2024 one (calls of two documents).
  std::string this_year = submit("province-office", {{"丁-2024", text("丁县人民政府", 2024, false)},
                                                     {"甲-2024", text("甲县人民政府", 2024, true)},
                                                     {"乙-2024", text("乙县人民政府", 2024, false)},
                                                     {"丙-2024", text("丙县人民政府", 2024, false)},
                                                     {"戊-2024", text("戊县人民政府", 2024, false)},
                                                     {"戊-2023", text("戊县人民政府", 2023, false)},
                                                     {"丁-2023", text("丁县人民政府", 2023, false)}});
  ASSERT_TRUE(client.WaitDone(this_year, absl::Seconds(30)));
  // Another caller's 2024 report of 甲: the province office's 2023 report is not its to compare with.
  std::string other = submit("another-office", {{"甲-2024", text("甲县人民政府", 2024, false)}});
  std::map<std::string, std::multiset<std::string>> rules;  // document -> history.* rules that failed
  for (const v1::ReportResult& r : client.Results(this_year)) {
    for (const v1::Finding& f : r.findings()) {
      if (absl::StartsWith(f.rule_id(), "history.") && f.outcome() == v1::OUTCOME_FAILED) rules[r.document_id()].insert(f.rule_id());
    }
  }
  // The narrative is the renderer's one: every report with last year's is 内容雷同 with it, once (戊's two
  // reports shared a call, where the validator compared them; the job's end does not again).
  for (const char* id : {"甲-2024", "乙-2024", "丁-2024", "戊-2024"}) EXPECT_EQ(rules[id].count("history.copied"), 1u) << id;
  EXPECT_EQ(rules["甲-2024"].count("history.carry"), 0u);  // carried over exactly
  EXPECT_EQ(rules["乙-2024"].count("history.carry"), Table3Columns().size());  // every column differs
  for (const char* id : {"丙-2024", "丁-2023", "戊-2023"}) EXPECT_TRUE(rules[id].empty()) << id;
  v1::JobProgress p = client.Progress(this_year);
  EXPECT_EQ(p.rule_counts().at("history.copied"), 4);
  {
    grpc::ClientContext context;
    context.AddMetadata("x-gongkai-caller", "another-office");
    v1::ResultsRequest request;
    request.set_job_id(other);
    v1::ResultsResponse page;
    absl::Time end = absl::Now() + absl::Seconds(30);
    v1::ListJobsResponse list;
    while (absl::Now() < end) {
      grpc::ClientContext c;
      c.AddMetadata("x-gongkai-caller", "another-office");
      list.Clear();
      client.stub()->List(&c, {}, &list);
      if (list.jobs_size() == 1 && list.jobs(0).state() == "done") break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    ASSERT_EQ(list.jobs(0).state(), "done");
    ASSERT_TRUE(client.stub()->Results(&context, request, &page).ok());
    ASSERT_EQ(page.results_size(), 1);
    for (const v1::Finding& f : page.results(0).findings()) EXPECT_FALSE(absl::StartsWith(f.rule_id(), "history.")) << f.rule_id();
  }
}

TEST_F(GatewayE2E, AParserReplicaThatDiesMidBatchCostsOnlyARetry) {
  Replicas replicas;
  gateway::EngineOptions eo;
  eo.batch_size = 4;
  eo.workers = 2;
  eo.call_deadline = absl::Seconds(5);
  auto gw = StartGateway(replicas, eo);
  GatewayClient client(gw->server->local_address());
  std::string job = client.Submit(0, 400, false, true);
  // Kill one parser replica once the job is under way.
  absl::Time until = absl::Now() + absl::Seconds(30);
  while (client.Progress(job).validated() < 40 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  replicas.parsers[0]->Shutdown();
  ASSERT_TRUE(client.WaitDone(job, absl::Seconds(120)));
  ExpectEveryReportOnce(client.Results(job), 400, false);
}

// A parser that answers after `delay` (longer than the gateway's deadline: a hung replica).
class SlowParser final : public v1::ParserService::Service {
 public:
  explicit SlowParser(absl::Duration delay) : delay_(delay) {}
  grpc::Status ParseBatch(grpc::ServerContext* context, const v1::ParseBatchRequest*, v1::ParseBatchResponse*) override {
    calls++;
    absl::Time end = absl::Now() + delay_;
    while (absl::Now() < end && !context->IsCancelled()) absl::SleepFor(absl::Milliseconds(10));
    return grpc::Status(grpc::StatusCode::INTERNAL, "too late");
  }
  std::atomic<int> calls{0};

 private:
  absl::Duration delay_;
};

TEST_F(GatewayE2E, AHungReplicaMeetsTheDeadlineAndTheBatchIsRetriedElsewhere) {
  Replicas replicas;
  SlowParser slow(absl::Seconds(30));
  auto hung = StartServer({{&slow, v1::ParserService::service_full_name()}});
  gateway::EngineOptions eo;
  eo.parser_target = absl::StrCat("ipv4:", hung->local_address(), ",", replicas.parsers[0]->local_address());
  eo.batch_size = 5;
  eo.call_deadline = absl::Milliseconds(300);
  eo.backoff_initial = absl::Milliseconds(20);
  auto gw = StartGateway(replicas, eo);
  GatewayClient client(gw->server->local_address());
  // Round robin sends only to replicas already connected: a first job can finish on the healthy one
  // before the hung one is ready, so jobs are sent until the hung replica has been called.
  for (int attempt = 0; attempt < 5 && slow.calls.load() == 0; ++attempt) {
    std::string job = client.Submit(0, 40, false, true);
    ASSERT_TRUE(client.WaitDone(job, absl::Seconds(120)));
    ExpectEveryReportOnce(client.Results(job), 40, false);
  }
  EXPECT_GT(slow.calls.load(), 0);  // the hung replica was called, timed out, and the work went elsewhere
}

// Stops `engine`; when Stop has not returned within a minute (a bound, not a speed), fails the test and ends
// the process, which the stuck thread would otherwise hold.
void StopWithinAMinute(gateway::Engine* engine, const std::string& waited_for) {
  std::future<void> stopped = std::async(std::launch::async, [engine] { engine->Stop(); });
  if (stopped.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    ADD_FAILURE() << "Stop waited for " << waited_for;
    std::_Exit(1);
  }
}

// A gateway stopped while it backs off from replicas that are down stops at once, not after its backoff,
// and the document it could not send is still there, pending, for the next start.
TEST_F(GatewayE2E, AGatewayBackingOffFromDeadReplicasStopsAtOnce) {
  Replicas replicas;
  gateway::EngineOptions eo;
  eo.parser_target = "ipv4:127.0.0.1:1";  // nothing listens there
  eo.call_deadline = absl::Milliseconds(300);
  eo.backoff_initial = absl::Hours(1);
  eo.backoff_max = absl::Hours(1);
  auto gw = StartGateway(replicas, eo);
  GatewayClient client(gw->server->local_address());
  std::string job = client.Submit(0, 3, false, true);
  absl::Time until = absl::Now() + absl::Seconds(60);
  while (gw->engine->WaitingFor().empty() && absl::Now() < until) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_NE(gw->engine->WaitingFor().find("parser replicas"), std::string::npos) << gw->engine->WaitingFor();
  // A bound, not a speed: a worker that slept through its backoff would hold Stop for an hour.
  StopWithinAMinute(gw->engine.get(), "a worker's backoff");
  v1::JobProgress p = client.Progress(job);
  EXPECT_EQ(p.received(), 3);
  EXPECT_EQ(p.validated(), 0);
  EXPECT_EQ(p.failed(), 0);  // one attempt of six: back to pending, not failed
  EXPECT_EQ(p.state(), "running");
  // A service over the store alone (no engine) still watches the job that waits.
  gateway::GatewayServiceOptions store_only;
  store_only.aggregator_target = replicas.aggregator->local_address();
  gateway::GatewayServiceImpl service(gw->store.get(), nullptr, store_only);
  auto server = StartServer({{&service, v1::GatewayService::service_full_name()}});
  std::vector<v1::JobProgress> seen;
  GatewayClient(server->local_address()).Watch(job, absl::Seconds(60), &seen, [](const v1::JobProgress&) { return true; });
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].state(), "running");
  EXPECT_EQ(seen[0].received(), 3);
}

// A gateway stopped while its only parser hangs cancels the call instead of waiting out its deadline, and
// the batch goes back to pending without using up an attempt (with one attempt allowed, a used one would
// have failed the documents).
TEST_F(GatewayE2E, AGatewayStoppedDuringAHungCallCancelsItAndKeepsTheAttempt) {
  Replicas replicas;
  SlowParser hung(absl::Hours(1));
  auto hung_server = StartServer({{&hung, v1::ParserService::service_full_name()}});
  gateway::EngineOptions eo;
  eo.parser_target = hung_server->local_address();
  eo.call_deadline = absl::Hours(1);
  eo.max_attempts = 1;
  auto gw = StartGateway(replicas, eo);
  GatewayClient client(gw->server->local_address());
  std::string job = client.Submit(0, 3, false, true);
  absl::Time until = absl::Now() + absl::Seconds(60);
  while (hung.calls.load() == 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(10));
  ASSERT_GT(hung.calls.load(), 0);
  // A bound, not a speed: a worker that waited for its call's deadline would hold Stop for an hour.
  StopWithinAMinute(gw->engine.get(), "a hung call");
  v1::JobProgress p = client.Progress(job);
  EXPECT_EQ(p.received(), 3);
  EXPECT_EQ(p.failed(), 0);
  EXPECT_EQ(p.state(), "running");
  // A gateway started again over the same store, with a parser that answers, finishes the job.
  gw->server->Shutdown();
  gw->service.reset();
  gw->engine.reset();
  eo.parser_target = "";
  eo.call_deadline = absl::Seconds(30);
  gw->engine = std::make_unique<gateway::Engine>(gw->store.get(), [&] {
    gateway::EngineOptions o = eo;
    o.parser_target = replicas.ParserTarget();
    o.validator_target = replicas.ValidatorTarget();
    return o;
  }());
  ASSERT_TRUE(gw->engine->Start().ok());
  absl::Time done_by = absl::Now() + absl::Seconds(60);
  v1::JobProgress q;
  while (absl::Now() < done_by) {
    q = *gw->store->Progress("province-office", job);
    if (q.state() == "done") break;
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(q.state(), "done");
  EXPECT_EQ(q.validated(), 3);
  EXPECT_EQ(q.failed(), 0);
}

// Whether the gateway behind `client` answers within ten seconds.
bool GatewayAnswers(GatewayClient& client) {
  for (int i = 0; i < 200; ++i) {
    grpc::ClientContext c;
    c.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
    v1::ListJobsResponse l;
    if (client.stub()->List(&c, {}, &l).ok()) return true;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return false;
}

TEST_F(GatewayE2E, AGatewayKilledMidJobAndRestartedCountsEveryReportOnce) {
  const char* binary = std::getenv("GONGKAI_GATEWAY_BINARY");
  if (binary == nullptr) GTEST_SKIP() << "GONGKAI_GATEWAY_BINARY is not set (ctest sets it)";
  Replicas replicas;
  GatewayProcess process = GatewayBinary(binary, replicas, 0);
  pid_t gateway = process.start();
  GatewayClient client(process.address);
  ASSERT_TRUE(GatewayAnswers(client));
  std::string job = client.Submit(0, 600, false, true);
  absl::Time until = absl::Now() + absl::Seconds(30);
  while (client.Progress(job).validated() < 60 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(5));
  int64_t before = client.Progress(job).validated();
  kill(gateway, SIGKILL);  // no drain, no goodbye: work in progress is left claimed in the store
  waitpid(gateway, nullptr, 0);
  EXPECT_LT(before, 600);
  gateway = process.start();
  ASSERT_TRUE(GatewayAnswers(client));
  ASSERT_TRUE(client.WaitDone(job, absl::Seconds(120)));
  ExpectEveryReportOnce(client.Results(job), 600, false);
  kill(gateway, SIGTERM);
  waitpid(gateway, nullptr, 0);
}

// A validator in front of a real one whose PairNarratives, while `slow` is set, waits before it answers (a
// job stays in its job-wide checks long enough for its gateway to be killed there) and, while `down` is
// set, fails as a dead replica would.
class SlowPairingValidator final : public v1::ValidatorService::Service {
 public:
  explicit SlowPairingValidator(const std::string& target)
      : stub_(v1::ValidatorService::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()))) {}
  grpc::Status Validate(grpc::ServerContext*, const v1::ValidateRequest* request, v1::ValidateResponse* out) override {
    grpc::ClientContext context;
    return stub_->Validate(&context, *request, out);
  }
  grpc::Status ValidateBatch(grpc::ServerContext*, const v1::ValidateBatchRequest* request,
                             v1::ValidateBatchResponse* out) override {
    grpc::ClientContext context;
    return stub_->ValidateBatch(&context, *request, out);
  }
  grpc::Status ListRules(grpc::ServerContext*, const v1::ListRulesRequest* request, v1::ListRulesResponse* out) override {
    grpc::ClientContext context;
    return stub_->ListRules(&context, *request, out);
  }
  grpc::Status PairNarratives(grpc::ServerContext* context, grpc::ServerReader<v1::NarrativeSignatures>* reader,
                              v1::NarrativePairs* out) override {
    ++pairings;
    if (down) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the validator is down");
    std::vector<v1::NarrativeSignatures> chunks(1);
    while (reader->Read(&chunks.back())) chunks.emplace_back();
    chunks.pop_back();
    while (slow && !context->IsCancelled()) absl::SleepFor(absl::Milliseconds(10));
    grpc::ClientContext forward;
    auto writer = stub_->PairNarratives(&forward, out);
    for (const auto& chunk : chunks) writer->Write(chunk);
    writer->WritesDone();
    return writer->Finish();
  }
  std::atomic<bool> slow{true};
  std::atomic<bool> down{false};  // PairNarratives answers UNAVAILABLE
  std::atomic<int> pairings{0};

 private:
  std::unique_ptr<v1::ValidatorService::Stub> stub_;
};

// A validator that is down when a job reaches its job-wide checks: the job waits in "checking" and Watch
// says what it waits for; once the validator is back, the checks run, the job ends with every finding once,
// and the next job's progress no longer carries the old reason.
TEST_F(GatewayE2E, AJobWhoseValidatorIsDownDuringItsChecksWaitsSaysWhyAndGoesOn) {
  Replicas replicas;
  SlowPairingValidator validator(replicas.validators[0]->local_address());
  validator.slow = false;
  validator.down = true;
  auto validator_server = StartServer({{&validator, v1::ValidatorService::service_full_name()}});
  gateway::EngineOptions eo;
  eo.batch_size = 4;
  eo.validator_target = validator_server->local_address();
  eo.backoff_initial = absl::Milliseconds(20);
  eo.backoff_max = absl::Milliseconds(100);
  gateway::GatewayServiceOptions go;
  go.watch_interval = absl::Milliseconds(20);
  auto gw = StartGateway(replicas, eo, go);
  GatewayClient client(gw->server->local_address());
  std::string job = client.Submit(0, 40, false, true);
  // Watch until it says why the job waits (bounded: a job that never reached its checks fails here).
  std::vector<v1::JobProgress> seen;
  client.Watch(job, absl::Seconds(60), &seen, [](const v1::JobProgress& p) {
    return p.state() == "checking" && !p.waiting_for().empty();
  });
  ASSERT_FALSE(seen.empty());
  for (const v1::JobProgress& p : seen) {
    ASSERT_NE(p.state(), "done") << "the checks cannot have run with the validator down";
  }
  std::string reason = seen.back().waiting_for();
  EXPECT_EQ(seen.back().state(), "checking");
  EXPECT_NE(reason.find("job-wide checks"), std::string::npos) << reason;
  EXPECT_NE(reason.find("down"), std::string::npos) << reason;
  EXPECT_GE(validator.pairings.load(), 1);
  EXPECT_FALSE(client.Results(job).empty());  // every report's own result is there while the job waits
  validator.down = false;
  ASSERT_TRUE(client.WaitDone(job, absl::Seconds(60)));
  std::vector<v1::ReportResult> results = client.Results(job);
  ExpectEveryReportOnce(results, 40, false);
  int64_t copied = 0;
  for (const v1::ReportResult& r : results) {
    std::set<std::string> others;
    for (const v1::Finding& f : r.findings()) {
      if (f.rule_id() != "batch.copied") continue;
      EXPECT_TRUE(others.insert(f.args().at("other_document")).second) << r.document_id();
    }
    copied += static_cast<int64_t>(others.size());
  }
  EXPECT_GT(copied, 0);
  EXPECT_EQ(client.Progress(job).rule_counts().at("batch.copied"), copied);
  // The next job: nothing waits, and its progress says so.
  std::string next = client.Submit(0, 8, false, true);
  std::vector<v1::JobProgress> next_seen;
  EXPECT_TRUE(client.Watch(next, absl::Seconds(60), &next_seen).ok());
  ASSERT_FALSE(next_seen.empty());
  for (const v1::JobProgress& p : next_seen) EXPECT_EQ(p.waiting_for(), "") << p.state();
  EXPECT_EQ(next_seen.back().state(), "done");
}

// Killed in the middle of a job's job-wide checks and restarted, the gateway runs them again and every
// finding is in the results once.
TEST_F(GatewayE2E, AGatewayKilledDuringTheJobWideChecksAppendsTheirFindingsOnce) {
  const char* binary = std::getenv("GONGKAI_GATEWAY_BINARY");
  if (binary == nullptr) GTEST_SKIP() << "GONGKAI_GATEWAY_BINARY is not set (ctest sets it)";
  Replicas replicas;
  SlowPairingValidator slow(replicas.validators[0]->local_address());
  auto slow_server = StartServer({{&slow, v1::ValidatorService::service_full_name()}});
  GatewayProcess process = GatewayBinary(binary, replicas, 7919, slow_server->local_address());
  pid_t gateway = process.start();
  GatewayClient client(process.address);
  ASSERT_TRUE(GatewayAnswers(client));
  // 120 organs filing the renderer's one narrative: each call of four finds its own copies, the job-wide
  // pass up to eight more a report.
  std::string job = client.Submit(0, 120, false, true);
  absl::Time until = absl::Now() + absl::Seconds(60);
  while (!(client.Progress(job).state() == "checking" && slow.pairings > 0) && absl::Now() < until) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(client.Progress(job).state(), "checking");
  kill(gateway, SIGKILL);
  waitpid(gateway, nullptr, 0);
  slow.slow = false;
  gateway = process.start();
  ASSERT_TRUE(GatewayAnswers(client));
  ASSERT_TRUE(client.WaitDone(job, absl::Seconds(60)));
  EXPECT_GE(slow.pairings.load(), 2);  // the checks ran again after the restart
  std::vector<v1::ReportResult> results = client.Results(job);
  ExpectEveryReportOnce(results, 120, false);
  int64_t copied = 0;
  int most = 0;
  for (const v1::ReportResult& r : results) {
    std::map<std::string, int> others;
    for (const v1::Finding& f : r.findings()) {
      if (f.rule_id() == "batch.copied") ++others[f.args().at("other_document")];
    }
    for (const auto& [other, n] : others) EXPECT_EQ(n, 1) << r.document_id() << " names " << other << " " << n << " times";
    copied += static_cast<int64_t>(others.size());
    most = std::max(most, static_cast<int>(others.size()));
  }
  EXPECT_GT(most, 3);  // more than a call of four can find: the job-wide pass's findings are there
  EXPECT_EQ(client.Progress(job).rule_counts().at("batch.copied"), copied);
  kill(gateway, SIGTERM);
  waitpid(gateway, nullptr, 0);
}

}  // namespace
}  // namespace gongkai
