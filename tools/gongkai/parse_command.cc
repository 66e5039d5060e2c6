// gongkai parse: read documents into AnnualReports, in process or through a parser service.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/grpc_status.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/parser/parser.h"
#include "tools/gongkai/args.h"
#include "tools/gongkai/commands.h"
#include "tools/gongkai/report_printer.h"

namespace gongkai::cli {
namespace {

constexpr char kUsage[] =
    "usage: gongkai parse [--cells | --json] [--parser HOST:PORT] FILE_OR_DIR...\n"
    "  --cells          one line per cell: key<TAB>value (null when missing), after @version/@year/@agency\n"
    "  --json           the AnnualReport as protobuf JSON, one object per line\n"
    "  --parser H:P     use a running parser service instead of parsing in this process\n";

absl::StatusOr<v1::AnnualReport> ParseRemote(v1::ParserService::Stub* stub, const std::string& content,
                                             const std::string& file) {
  v1::ParseRequest request;
  request.set_content(content);
  request.set_file_name(file);
  v1::ParseResponse response;
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  grpc::Status status = stub->Parse(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_report());
}

}  // namespace

int RunParse(int argc, char** argv) {
  ArgSpec spec{{"cells", "json", "help"}, {"parser"}};
  absl::StatusOr<Args> args = ParseArgs(argc, argv, 2, spec);
  if (!args.ok() || args->Has("help") || args->positional.empty() ||
      (args->Has("cells") && args->Has("json"))) {
    if (!args.ok()) std::fprintf(stderr, "gongkai parse: %s\n", std::string(args.status().message()).c_str());
    std::fputs(kUsage, stderr);
    return args.ok() && args->Has("help") ? 0 : 2;
  }
  absl::StatusOr<std::vector<std::string>> files = ExpandInputs(args->positional);
  if (!files.ok()) {
    std::fprintf(stderr, "gongkai parse: %s\n", std::string(files.status().message()).c_str());
    return 2;
  }
  std::unique_ptr<v1::ParserService::Stub> stub;
  if (!args->Value("parser").empty()) {
    stub = v1::ParserService::NewStub(
        grpc::CreateChannel(args->Value("parser"), grpc::InsecureChannelCredentials()));
  }
  int exit_code = 0;
  for (const std::string& file : *files) {
    absl::StatusOr<std::string> content = ReadFile(file);
    if (!content.ok()) {
      std::fprintf(stderr, "gongkai parse: %s\n", std::string(content.status().message()).c_str());
      exit_code = 2;
      continue;
    }
    absl::StatusOr<v1::AnnualReport> report =
        stub ? ParseRemote(stub.get(), *content, file) : parser::ParseDocument(*content, file);
    if (!report.ok()) {
      std::fprintf(stderr, "%s: %s\n", file.c_str(), std::string(report.status().message()).c_str());
      if (report.status().code() == absl::StatusCode::kUnavailable ||
          report.status().code() == absl::StatusCode::kDeadlineExceeded) {
        return 2;  // the service is not there: nothing else will work either
      }
      if (exit_code == 0) exit_code = 1;
      continue;
    }
    std::string out;
    if (args->Has("cells")) {
      if (files->size() > 1) out = absl::StrCat("@file\t", file, "\n");
      out += FormatCells(*report);
      std::fputs(FormatNotes(*report, file).c_str(), stderr);
    } else if (args->Has("json")) {
      out = FormatJson(*report, /*pretty=*/false) + "\n";
    } else {
      out = FormatReadable(*report, file);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return exit_code;
}

}  // namespace gongkai::cli
