// Transport security and caller identity on loopback: TLS and mutual TLS with certificates generated for
// this run by the operators' script (deploy/make-certs.sh), plaintext only on loopback, bearer tokens and
// client certificates naming gateway callers, and one caller never reading another's job.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/server.h"
#include "common/tls.h"
#include "gongkai/v1/gateway_service.grpc.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "services/aggregator/aggregator_service.h"
#include "services/gateway/callers.h"
#include "services/gateway/engine.h"
#include "services/gateway/gateway_service.h"
#include "services/gateway/store.h"
#include "services/parser/parser_service.h"
#include "services/validator/validator_service.h"
#include "tools/corpus/report_text.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

// The PKI of this test binary, made by deploy/make-certs.sh before the first test and removed after the
// last: the internal CA signs the services' certificate "tls" (also the gateway's client certificate);
// the callers' CA signs "caller-province-a" and "caller-province-b".
class Pki : public ::testing::Environment {
 public:
  static const Pki& Get() { return *instance_; }
  void SetUp() override {
    dir_ = fs::temp_directory_path() / absl::StrCat("gongkai-pki-", getpid());
    std::string command = absl::StrCat(GONGKAI_MAKE_CERTS, " ", dir_.string(), " test province-a province-b >/dev/null");
    int rc = std::system(command.c_str());
    ASSERT_EQ(rc, 0) << command;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string File(const std::string& name) const { return (dir_ / name).string(); }
  // The services' certificate; client certificates verified against `client_ca` ("internal-ca",
  // "callers-ca", or "" for none).
  TlsServerFiles Server(const std::string& client_ca = "", ClientCertPolicy policy = ClientCertPolicy::kRequire) const {
    return {File("tls.crt"), File("tls.key"), client_ca.empty() ? "" : File(client_ca + ".crt"), policy};
  }
  // A client trusting the internal CA, presenting certificate `who` ("tls", "caller-province-a", … or "").
  TlsClientFiles Client(const std::string& who = "") const {
    if (who.empty()) return {File("internal-ca.crt"), "", ""};
    return {File("internal-ca.crt"), File(who + ".crt"), File(who + ".key")};
  }

 private:
  static Pki* instance_;
  fs::path dir_;
};
Pki* Pki::instance_ = static_cast<Pki*>(::testing::AddGlobalTestEnvironment(new Pki()));

std::unique_ptr<Server> StartServer(std::vector<ServiceEntry> services, const TlsServerFiles& tls) {
  ServerOptions options;
  options.drain = absl::ZeroDuration();
  options.shutdown_grace = absl::Milliseconds(200);
  auto credentials = MakeServerCredentials(tls);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  options.credentials = *credentials;
  options.verifies_client_certificates = !tls.client_ca_file.empty();
  auto server = Server::Start(options, std::move(services));
  EXPECT_TRUE(server.ok()) << server.status();
  (*server)->SetServing(true);
  return std::move(*server);
}

std::shared_ptr<grpc::Channel> Channel(const std::string& address, const TlsClientFiles& tls) {
  auto credentials = MakeChannelCredentials(tls);
  EXPECT_TRUE(credentials.ok()) << credentials.status();
  return grpc::CreateChannel(address, *credentials);
}

// A health check through `channel`: OK when the connection (and its handshake) succeeds.
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  return stub->Check(&context, request, &response);
}

TEST(Tls, ServesTlsAndRefusesPlaintextClients) {
  parser::ParserServiceImpl service;
  auto server = StartServer({{&service, v1::ParserService::service_full_name()}}, Pki::Get().Server());
  EXPECT_TRUE(HealthCheck(Channel(server->local_address(), Pki::Get().Client())).ok());
  // A plaintext client cannot speak to a TLS server.
  grpc::Status plaintext = HealthCheck(grpc::CreateChannel(server->local_address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE) << plaintext.error_message();
  // A client that trusts another CA refuses the server's certificate.
  TlsClientFiles wrong_ca{Pki::Get().File("callers-ca.crt"), "", ""};
  EXPECT_EQ(HealthCheck(Channel(server->local_address(), wrong_ca)).error_code(), grpc::StatusCode::UNAVAILABLE);
}

// The client checks that the server's certificate names the host it dialled, not only that its CA signed it.
TEST(Tls, AClientRefusesACertificateForAnotherHost) {
  parser::ParserServiceImpl service;
  auto server = StartServer({{&service, v1::ParserService::service_full_name()}}, Pki::Get().Server());
  auto credentials = MakeChannelCredentials(Pki::Get().Client());
  ASSERT_TRUE(credentials.ok());
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride("gongkai.example.org");  // not among the certificate's names
  grpc::Status status = HealthCheck(grpc::CreateCustomChannel(server->local_address(), *credentials, args));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

// A certificate renewed in place is served to new connections without a restart: the server's files are
// swapped (a symlink to a new folder, as a Kubernetes secret's volume does) for a certificate from another CA.
TEST(Tls, ARenewedCertificateIsServedWithoutARestart) {
  fs::path root = fs::temp_directory_path() / absl::StrCat("gongkai-rotate-", getpid());
  fs::path renewed_pki = root / "renewed-pki";
  std::string command = absl::StrCat(GONGKAI_MAKE_CERTS, " ", renewed_pki.string(), " renewed province-a >/dev/null");
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  fs::create_directories(root / "v1");
  fs::create_directories(root / "v2");
  for (const char* f : {"tls.crt", "tls.key"}) {
    fs::copy_file(Pki::Get().File(f), root / "v1" / f);
    fs::copy_file(renewed_pki / f, root / "v2" / f);
  }
  fs::create_directory_symlink(root / "v1", root / "live");
  TlsServerFiles files{(root / "live" / "tls.crt").string(), (root / "live" / "tls.key").string(), "",
                       ClientCertPolicy::kRequire, /*reload_seconds=*/1};
  parser::ParserServiceImpl service;
  auto server = StartServer({{&service, v1::ParserService::service_full_name()}}, files);
  TlsClientFiles old_ca = Pki::Get().Client();
  TlsClientFiles new_ca{(renewed_pki / "internal-ca.crt").string(), "", ""};
  EXPECT_TRUE(HealthCheck(Channel(server->local_address(), old_ca)).ok());
  EXPECT_FALSE(HealthCheck(Channel(server->local_address(), new_ca)).ok());

  fs::create_directory_symlink(root / "v2", root / "live.new");
  fs::rename(root / "live.new", root / "live");  // atomic: the watcher sees the old pair or the new one
  bool renewed = false;
  for (int i = 0; i < 50 && !renewed; ++i) {  // the files are read again every second
    absl::SleepFor(absl::Milliseconds(200));
    renewed = HealthCheck(Channel(server->local_address(), new_ca)).ok();
  }
  EXPECT_TRUE(renewed) << "the renewed certificate was not served within 10 s";
  EXPECT_FALSE(HealthCheck(Channel(server->local_address(), old_ca)).ok());
  server->Shutdown();
  fs::remove_all(root);
}

TEST(Tls, MutualTlsNeedsAClientCertificateSignedByTheCa) {
  parser::ParserServiceImpl service;
  auto server = StartServer({{&service, v1::ParserService::service_full_name()}}, Pki::Get().Server("internal-ca"));
  EXPECT_TRUE(HealthCheck(Channel(server->local_address(), Pki::Get().Client("tls"))).ok());
  EXPECT_EQ(HealthCheck(Channel(server->local_address(), Pki::Get().Client())).error_code(),
            grpc::StatusCode::UNAVAILABLE);
  // A certificate from another CA (a caller's) does not open the services' mutual TLS.
  EXPECT_EQ(HealthCheck(Channel(server->local_address(), Pki::Get().Client("caller-province-a"))).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST(Tls, APlaintextHealthListenerServesHealthAloneForProbes) {
  parser::ParserServiceImpl service;
  ServerOptions options;
  options.drain = absl::ZeroDuration();
  options.credentials = *MakeServerCredentials(Pki::Get().Server("internal-ca"));
  options.health_address = "127.0.0.1:0";
  auto server = Server::Start(options, {{&service, v1::ParserService::service_full_name()}});
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_NE((*server)->health_port(), 0);
  auto probe = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->health_port()), grpc::InsecureChannelCredentials());
  auto status_of = [&](const std::string& name) {
    auto stub = grpc::health::v1::Health::NewStub(probe);
    grpc::ClientContext context;
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(name);
    grpc::health::v1::HealthCheckResponse response;
    EXPECT_TRUE(stub->Check(&context, request, &response).ok());
    return response.status();
  };
  using Health = grpc::health::v1::HealthCheckResponse;
  EXPECT_EQ(status_of(""), Health::NOT_SERVING);
  (*server)->SetServing(true);
  EXPECT_EQ(status_of(""), Health::SERVING);
  EXPECT_EQ(status_of("gongkai.v1.ParserService"), Health::SERVING);
  // The plaintext listener carries nothing but health: the parser is not served there.
  auto parser = v1::ParserService::NewStub(probe);
  grpc::ClientContext context;
  v1::ParseRequest request;
  v1::ParseResponse response;
  EXPECT_EQ(parser->Parse(&context, request, &response).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  (*server)->SetServing(false);
  EXPECT_EQ(status_of(""), Health::NOT_SERVING);
}

TEST(Tls, BadFilesAreNamed) {
  TlsServerFiles missing = Pki::Get().Server();
  missing.cert_file = "/nonexistent/server.pem";
  auto credentials = MakeServerCredentials(missing);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find("/nonexistent/server.pem"), std::string::npos);
  TlsServerFiles no_key = Pki::Get().Server();
  no_key.key_file.clear();
  EXPECT_FALSE(MakeServerCredentials(no_key).ok());
  TlsServerFiles not_pem = Pki::Get().Server();
  not_pem.key_file = Pki::Get().File("tokens");
  auto bad = MakeServerCredentials(not_pem);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no PEM block"), std::string::npos);
  EXPECT_FALSE(MakeChannelCredentials({"", Pki::Get().File("tls.crt"), ""}).ok());
  // No files: plaintext on both sides.
  EXPECT_EQ(*MakeServerCredentials({}), nullptr);
  EXPECT_TRUE(MakeChannelCredentials({}).ok());
}

TEST(Tls, PlaintextIsTheDefaultOnlyOnLoopback) {
  for (const char* address : {"127.0.0.1:50051", "localhost:1", "[::1]:50051", "unix:/tmp/s", "127.1.2.3:9"}) {
    EXPECT_TRUE(IsLoopbackAddress(address)) << address;
    EXPECT_TRUE(CheckPlaintextAllowed(address, false, false).ok()) << address;
  }
  for (const char* address : {"0.0.0.0:50051", "[::]:50051", "10.0.0.7:50051", "gongkai-parser:50051"}) {
    EXPECT_FALSE(IsLoopbackAddress(address)) << address;
    absl::Status status = CheckPlaintextAllowed(address, false, false);
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << address;
    EXPECT_NE(status.message().find("--tls_cert"), std::string::npos);
    EXPECT_TRUE(CheckPlaintextAllowed(address, true, false).ok());
    EXPECT_TRUE(CheckPlaintextAllowed(address, false, true).ok());
  }
}

TEST(Callers, TokenFileErrorsNameTheLine) {
  fs::path path = fs::temp_directory_path() / absl::StrCat("gongkai-tokens-", getpid());
  {
    std::ofstream(path) << "# token caller\n0123456789abcdef0123 province-a\n\n"
                           "fedcba9876543210fedc\tprovince-b  # comment\n";
  }
  auto table = gateway::LoadTokenFile(path.string());
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->size(), 2u);
  EXPECT_EQ(table->at("fedcba9876543210fedc"), "province-b");
  { std::ofstream(path) << "0123456789abcdef0123 province-a\nonlyonefield0123456\n"; }
  auto bad = gateway::LoadTokenFile(path.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(":2:"), std::string::npos) << bad.status();
  { std::ofstream(path) << "short a\n"; }
  EXPECT_NE(gateway::LoadTokenFile(path.string()).status().message().find("shorter than 16"), std::string::npos);
  { std::ofstream(path) << "0123456789abcdef0123 a\n0123456789abcdef0123 b\n"; }
  EXPECT_NE(gateway::LoadTokenFile(path.string()).status().message().find("twice"), std::string::npos);
  { std::ofstream(path) << "# nothing\n"; }
  EXPECT_FALSE(gateway::LoadTokenFile(path.string()).ok());
  fs::remove(path);
}

// The reports an aggregate counts.
int64_t Filed(const v1::Aggregate& aggregate) {
  int64_t n = 0;
  for (const auto& [key, count] : aggregate.filings()) n += count;
  return n;
}

constexpr char kTokenA[] = "token-of-province-a-0001";
constexpr char kTokenB[] = "token-of-province-b-0002";

// The whole suite over mutual TLS: workers require the gateway's client certificate; the gateway serves
// TLS, verifies client certificates when sent, and knows two bearer tokens.
class SecureSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    const Pki& pki = Pki::Get();
    dir_ = fs::temp_directory_path() / absl::StrCat("gongkai-tls-", getpid());
    fs::create_directories(dir_);
    validator_service_ = *validator::ValidatorServiceImpl::Create();
    parser_ = StartServer({{&parser_service_, v1::ParserService::service_full_name()}}, pki.Server("internal-ca"));
    validator_ = StartServer({{validator_service_.get(), v1::ValidatorService::service_full_name()}}, pki.Server("internal-ca"));
    aggregator_ = StartServer({{&aggregator_service_, v1::AggregatorService::service_full_name()}}, pki.Server("internal-ca"));
    store_ = *gateway::OpenSqliteStore((dir_ / "jobs.sqlite").string());
    gateway::EngineOptions eo;
    eo.parser_target = parser_->local_address();
    eo.validator_target = validator_->local_address();
    eo.credentials = *MakeChannelCredentials(pki.Client("tls"));  // the gateway's own client certificate
    engine_ = std::make_unique<gateway::Engine>(store_.get(), eo);
    ASSERT_TRUE(engine_->Start().ok());
    gateway::GatewayServiceOptions go;
    go.aggregator_target = aggregator_->local_address();
    go.credentials = eo.credentials;
    gateway::CallerPolicy policy;
    policy.tokens = {{kTokenA, "province-a"}, {kTokenB, "province-b"}};
    policy.trust_client_certificate = true;
    go.authenticate = gateway::MakeAuthenticator(policy);
    gateway_service_ = std::make_unique<gateway::GatewayServiceImpl>(store_.get(), engine_.get(), go);
    gateway_ = StartServer({{gateway_service_.get(), v1::GatewayService::service_full_name()}},
                           pki.Server("callers-ca", ClientCertPolicy::kOptional));
  }
  void TearDown() override {
    engine_->Stop();
    gateway_.reset();
    gateway_service_.reset();
    engine_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  std::unique_ptr<v1::GatewayService::Stub> Stub(const std::string& cert = "") {
    return v1::GatewayService::NewStub(Channel(gateway_->local_address(), Pki::Get().Client(cert)));
  }
  static void Authorize(grpc::ClientContext* context, const std::string& token) {
    if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  }
  grpc::Status Submit(v1::GatewayService::Stub* stub, const std::string& token, int reports, std::string* job) {
    grpc::ClientContext context;
    Authorize(&context, token);
    v1::SubmitResponse response;
    auto writer = stub->Submit(&context, &response);
    for (int i = 0; i < reports; ++i) {
      v1::SubmitRequest request;
      auto values = corpus::DistinctValues(v1::TEMPLATE_VERSION_V2021);
      request.mutable_document()->set_content(
          corpus::RenderReport(values, v1::TEMPLATE_VERSION_V2021, corpus::Layout::kTabs, absl::StrCat("测试第", i, "号局")));
      request.mutable_document()->mutable_metadata()->set_document_id(absl::StrCat("doc-", i));
      if (i + 1 == reports) request.set_seal(true);
      writer->Write(request);
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    *job = response.job_id();
    return status;
  }
  grpc::Status Summary(v1::GatewayService::Stub* stub, const std::string& token, const std::string& job,
                       v1::Aggregate* out) {
    grpc::ClientContext context;
    Authorize(&context, token);
    v1::JobRequest request;
    request.set_job_id(job);
    return stub->Summary(&context, request, out);
  }
  grpc::Status List(v1::GatewayService::Stub* stub, const std::string& token, v1::ListJobsResponse* out) {
    grpc::ClientContext context;
    Authorize(&context, token);
    return stub->List(&context, {}, out);
  }

  fs::path dir_;
  parser::ParserServiceImpl parser_service_;
  std::unique_ptr<validator::ValidatorServiceImpl> validator_service_;
  aggregator::AggregatorServiceImpl aggregator_service_;
  std::unique_ptr<Server> parser_, validator_, aggregator_, gateway_;
  std::unique_ptr<gateway::JobStore> store_;
  std::unique_ptr<gateway::Engine> engine_;
  std::unique_ptr<gateway::GatewayServiceImpl> gateway_service_;
};

TEST_F(SecureSuite, CallersWithoutCredentialsAreUnauthenticated) {
  auto stub = Stub();
  v1::ListJobsResponse list;
  grpc::Status none = List(stub.get(), "", &list);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(none.error_message().find("Bearer"), std::string::npos) << none.error_message();
  EXPECT_EQ(List(stub.get(), "not-a-token-at-all-xyz", &list).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  std::string job;
  EXPECT_EQ(Submit(stub.get(), "", 1, &job).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // A wrong token is refused even when a valid certificate comes with it.
  EXPECT_EQ(List(Stub("caller-province-a").get(), "wrong-token-0000000000", &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A plaintext client never reaches the service at all.
  auto plain = v1::GatewayService::NewStub(grpc::CreateChannel(gateway_->local_address(), grpc::InsecureChannelCredentials()));
  EXPECT_EQ(List(plain.get(), kTokenA, &list).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(SecureSuite, ABatchOverMutualTlsAndEachCallerSeesOnlyItsOwnJobs) {
  auto stub = Stub();
  std::string job;
  ASSERT_TRUE(Submit(stub.get(), kTokenA, 5, &job).ok());
  // The batch crosses mutual TLS to the parser, validator and aggregator.
  v1::Aggregate summary;
  absl::Time end = absl::Now() + absl::Seconds(60);
  grpc::Status status;
  do {
    summary.Clear();
    status = Summary(stub.get(), kTokenA, job, &summary);
    if (status.ok() && Filed(summary) == 5) break;
    absl::SleepFor(absl::Milliseconds(100));
  } while (absl::Now() < end);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(Filed(summary), 5);

  // Province B (by token) and a caller named by its client certificate cannot see or touch the job.
  v1::Aggregate other;
  EXPECT_EQ(Summary(stub.get(), kTokenB, job, &other).error_code(), grpc::StatusCode::NOT_FOUND);
  auto by_cert = Stub("caller-province-b");
  EXPECT_EQ(Summary(by_cert.get(), "", job, &other).error_code(), grpc::StatusCode::NOT_FOUND);
  {
    grpc::ClientContext context;
    Authorize(&context, kTokenB);
    v1::JobRequest request;
    request.set_job_id(job);
    v1::JobProgress progress;
    EXPECT_EQ(stub->Cancel(&context, request, &progress).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    Authorize(&context, kTokenB);
    v1::ResultsRequest request;
    request.set_job_id(job);
    v1::ResultsResponse page;
    EXPECT_EQ(stub->Results(&context, request, &page).error_code(), grpc::StatusCode::NOT_FOUND);
  }
  v1::ListJobsResponse list_b, list_a, list_cert;
  ASSERT_TRUE(List(stub.get(), kTokenB, &list_b).ok());
  EXPECT_EQ(list_b.jobs_size(), 0);
  ASSERT_TRUE(List(stub.get(), kTokenA, &list_a).ok());
  ASSERT_EQ(list_a.jobs_size(), 1);
  EXPECT_EQ(list_a.jobs(0).job_id(), job);

  // A caller named by its certificate submits and lists its own job.
  std::string cert_job;
  ASSERT_TRUE(Submit(by_cert.get(), "", 2, &cert_job).ok());
  ASSERT_TRUE(List(by_cert.get(), "", &list_cert).ok());
  ASSERT_EQ(list_cert.jobs_size(), 1);
  EXPECT_EQ(list_cert.jobs(0).job_id(), cert_job);
  EXPECT_EQ(Summary(stub.get(), kTokenA, cert_job, &other).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace gongkai
