// The parser service: a thin gRPC adapter over the parser library.
#ifndef GONGKAI_SERVICES_PARSER_PARSER_SERVICE_H_
#define GONGKAI_SERVICES_PARSER_PARSER_SERVICE_H_

#include "common/arena_allocator.h"
#include "gongkai/v1/parser_service.grpc.pb.h"
#include "services/parser/parser.h"

namespace gongkai::parser {

struct ParserServiceOptions {
  ParserOptions parser;
  int max_batch_documents = 10'000;  // ParseBatch with more documents: INVALID_ARGUMENT
};

// Turns one request into one result, the report or the error that says why the document was refused,
// written into `*result` (cleared first; it may live on an arena, and the report is then built there).
void ParseOneInto(const gongkai::v1::ParseRequest& request, const ParserOptions& options,
                  gongkai::v1::ParseResult* result);

// Implements gongkai.v1.ParserService. Thread-safe.
class ParserServiceImpl final : public gongkai::v1::ParserService::CallbackService {
 public:
  // Requests and responses of Parse and ParseBatch live on one arena per call.
  explicit ParserServiceImpl(ParserServiceOptions options = {});

  grpc::ServerUnaryReactor* Parse(grpc::CallbackServerContext* context, const gongkai::v1::ParseRequest* request,
                                  gongkai::v1::ParseResponse* response) override;
  grpc::ServerUnaryReactor* ParseBatch(grpc::CallbackServerContext* context,
                                       const gongkai::v1::ParseBatchRequest* request,
                                       gongkai::v1::ParseBatchResponse* response) override;
  grpc::ServerBidiReactor<gongkai::v1::ParseRequest, gongkai::v1::ParseResult>* ParseStream(
      grpc::CallbackServerContext* context) override;

 private:
  ParserServiceOptions options_;
  ArenaMessageAllocator<gongkai::v1::ParseRequest, gongkai::v1::ParseResponse> parse_allocator_;
  ArenaMessageAllocator<gongkai::v1::ParseBatchRequest, gongkai::v1::ParseBatchResponse> batch_allocator_;
};

}  // namespace gongkai::parser

#endif  // GONGKAI_SERVICES_PARSER_PARSER_SERVICE_H_
