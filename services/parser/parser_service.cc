#include "services/parser/parser_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace gongkai::parser {

void ParseOneInto(const v1::ParseRequest& request, const ParserOptions& options, v1::ParseResult* result) {
  result->Clear();
  result->set_document_id(request.metadata().document_id());
  // The report is built where the result lives: on the call's arena when the service has one.
  v1::AnnualReport* report = result->mutable_report();
  absl::Status parsed =
      ParseDocumentInto(request.content(), request.metadata().file_name().empty() ? request.file_name()
                                                                                  : request.metadata().file_name(),
                        request.media_type(), options, report);
  if (!parsed.ok()) {
    result->mutable_error()->set_code(static_cast<int>(parsed.code()));
    result->mutable_error()->set_message(std::string(parsed.message()));
    return;
  }
  *report->mutable_metadata() = request.metadata();
  if (report->metadata().file_name().empty()) report->mutable_metadata()->set_file_name(request.file_name());
}

ParserServiceImpl::ParserServiceImpl(ParserServiceOptions options) : options_(options) {
  SetMessageAllocatorFor_Parse(&parse_allocator_);
  SetMessageAllocatorFor_ParseBatch(&batch_allocator_);
}

grpc::ServerUnaryReactor* ParserServiceImpl::Parse(grpc::CallbackServerContext* context,
                                                   const v1::ParseRequest* request,
                                                   v1::ParseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::Status parsed =
      ParseDocumentInto(request->content(), request->metadata().file_name().empty() ? request->file_name()
                                                                                    : request->metadata().file_name(),
                        request->media_type(), options_.parser, response->mutable_report());
  if (!parsed.ok()) {
    reactor->Finish(ToGrpcStatus(parsed));
    return reactor;
  }
  v1::AnnualReport* report = response->mutable_report();
  *report->mutable_metadata() = request->metadata();
  if (report->metadata().file_name().empty()) report->mutable_metadata()->set_file_name(request->file_name());
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* ParserServiceImpl::ParseBatch(grpc::CallbackServerContext* context,
                                                        const v1::ParseBatchRequest* request,
                                                        v1::ParseBatchResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->documents_size() > options_.max_batch_documents) {
    reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(
        absl::StrCat("the batch holds ", request->documents_size(), " documents; at most ",
                     options_.max_batch_documents, " per call (stream larger batches with ParseStream)"))));
    return reactor;
  }
  for (const v1::ParseRequest& document : request->documents()) {
    if (context->IsCancelled()) {
      reactor->Finish(grpc::Status(grpc::StatusCode::CANCELLED, "the caller cancelled the batch"));
      return reactor;
    }
    ParseOneInto(document, options_.parser, response->add_results());
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

namespace {

// Reads a request, parses it, writes its result, and reads the next, until the client half-closes.
class ParseStreamReactor final : public grpc::ServerBidiReactor<v1::ParseRequest, v1::ParseResult> {
 public:
  explicit ParseStreamReactor(const ParserOptions& options) : options_(options) { StartRead(&request_); }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::OK);
      return;
    }
    ParseOneInto(request_, options_, &result_);
    StartWrite(&result_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the result could not be written"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override { delete this; }

 private:
  const ParserOptions& options_;
  v1::ParseRequest request_;
  v1::ParseResult result_;
};

}  // namespace

grpc::ServerBidiReactor<v1::ParseRequest, v1::ParseResult>* ParserServiceImpl::ParseStream(
    grpc::CallbackServerContext* context) {
  return new ParseStreamReactor(options_.parser);
}

}  // namespace gongkai::parser
