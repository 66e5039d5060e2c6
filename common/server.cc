#include "common/server.h"

#include <signal.h>

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace gongkai {

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                     std::vector<ServiceEntry> services) {
  grpc::EnableDefaultHealthCheckService(true);
  if (options.enable_reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<Server> server(new Server());
  server->options_ = options;
  server->services_ = std::move(services);

  grpc::ServerBuilder builder;
  auto creds = options.credentials ? options.credentials : grpc::InsecureServerCredentials();
  builder.AddListeningPort(options.address, creds, &server->port_);
  builder.SetMaxReceiveMessageSize(static_cast<int>(options.max_receive_message_bytes));
  builder.SetMaxSendMessageSize(static_cast<int>(options.max_send_message_bytes));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, options.keepalive_time_ms);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, options.keepalive_timeout_ms);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 0);
  if (options.max_connection_age_ms > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, options.max_connection_age_ms);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               options.max_connection_age_grace_ms);
  }
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, options.max_concurrent_streams);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 8 << 20);
  for (const ServiceEntry& entry : server->services_) builder.RegisterService(entry.service);

  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("could not listen on ", options.address, " (address in use or not valid)"));
  }
  if (!options.health_address.empty()) {
    grpc::ServerBuilder health_builder;
    health_builder.AddListeningPort(options.health_address, grpc::InsecureServerCredentials(), &server->health_port_);
    health_builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, 16);
    health_builder.SetMaxReceiveMessageSize(4096);
    server->health_server_ = health_builder.BuildAndStart();
    if (server->health_server_ == nullptr || server->health_port_ == 0) {
      server->server_->Shutdown();
      return absl::UnavailableError(absl::StrCat("could not listen for health checks on ", options.health_address));
    }
    Log(LogSeverity::kInfo, "health listener",
        {{"service", options.name}, {"address", options.health_address}, {"port", absl::StrCat(server->health_port_)}});
  }
  server->SetServing(false);
  Log(LogSeverity::kInfo, "listening",
      {{"service", options.name}, {"address", options.address}, {"port", absl::StrCat(server->port_)}});
  return server;
}

Server::~Server() { Shutdown(); }

std::string Server::local_address() const { return absl::StrCat("127.0.0.1:", port_); }

void Server::SetServing(bool serving) {
  for (grpc::Server* s : {server_.get(), health_server_.get()}) {
    if (s == nullptr) continue;
    grpc::HealthCheckServiceInterface* health = s->GetHealthCheckService();
    if (health == nullptr) continue;
    health->SetServingStatus("", serving);
    for (const ServiceEntry& entry : services_) health->SetServingStatus(entry.full_name, serving);
  }
}

void Server::Shutdown() {
  if (server_ == nullptr || shut_down_.exchange(true)) return;
  SetServing(false);
  if (options_.drain > absl::ZeroDuration()) {
    Log(LogSeverity::kInfo, "draining",
        {{"service", options_.name}, {"seconds", absl::StrCat(absl::ToDoubleSeconds(options_.drain))}});
    absl::SleepFor(options_.drain);
  }
  server_->Shutdown(absl::ToChronoTime(absl::Now() + options_.shutdown_grace));
  server_->Wait();
  if (health_server_ != nullptr) {
    health_server_->Shutdown(absl::ToChronoTime(absl::Now()));
    health_server_->Wait();
  }
  Log(LogSeverity::kInfo, "stopped", {{"service", options_.name}});
}

void Server::Wait() {
  if (server_ != nullptr) server_->Wait();
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForTermination() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  Log(LogSeverity::kInfo, "signal received", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  return sig;
}

absl::Status RunServerUntilSignal(const ServerOptions& options, std::vector<ServiceEntry> services) {
  BlockTerminationSignals();
  auto server = Server::Start(options, std::move(services));
  if (!server.ok()) return server.status();
  (*server)->SetServing(true);
  Log(LogSeverity::kInfo, "serving", {{"service", options.name}});
  WaitForTermination();
  (*server)->Shutdown();
  return absl::OkStatus();
}

}  // namespace gongkai
