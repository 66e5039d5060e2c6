// gongkai-parser: the parser service binary.
#include <cstdio>

#include "common/logging.h"
#include "common/server.h"
#include "common/server_flags.h"
#include "services/parser/parser_service.h"

int main(int argc, char** argv) {
  gongkai::ServerOptions options = gongkai::ParseServerFlags(argc, argv, "parser", gongkai::kParserPort);
  gongkai::parser::ParserServiceImpl service;
  absl::Status status = gongkai::RunServerUntilSignal(
      options, {{&service, gongkai::v1::ParserService::service_full_name()}});
  if (!status.ok()) {
    gongkai::Log(gongkai::LogSeverity::kError, "server failed", {{"error", std::string(status.message())}});
    return 1;
  }
  return 0;
}
