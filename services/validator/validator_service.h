// The validator service: a thin gRPC adapter over the validator library.
#ifndef GONGKAI_SERVICES_VALIDATOR_VALIDATOR_SERVICE_H_
#define GONGKAI_SERVICES_VALIDATOR_VALIDATOR_SERVICE_H_

#include "common/arena_allocator.h"
#include "gongkai/v1/validator_service.grpc.pb.h"
#include "services/validator/validator.h"

namespace gongkai::validator {

struct ValidatorServiceOptions {
  gongkai::v1::RuleConfig default_rules;  // applies to requests that carry no configuration of their own
  int max_batch_reports = 20'000;
  int64_t max_narrative_signatures = 2'000'000;  // per PairNarratives stream (~1 GB of signatures)
};

// Implements gongkai.v1.ValidatorService. Thread-safe.
class ValidatorServiceImpl final : public gongkai::v1::ValidatorService::CallbackService {
 public:
  // InvalidArgument when the default configuration names an unknown rule.
  static absl::StatusOr<std::unique_ptr<ValidatorServiceImpl>> Create(ValidatorServiceOptions options = {});

  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context, const gongkai::v1::ValidateRequest* request,
                                     gongkai::v1::ValidateResponse* response) override;
  grpc::ServerUnaryReactor* ValidateBatch(grpc::CallbackServerContext* context,
                                          const gongkai::v1::ValidateBatchRequest* request,
                                          gongkai::v1::ValidateBatchResponse* response) override;
  grpc::ServerUnaryReactor* ListRules(grpc::CallbackServerContext* context, const gongkai::v1::ListRulesRequest* request,
                                      gongkai::v1::ListRulesResponse* response) override;
  grpc::ServerReadReactor<gongkai::v1::NarrativeSignatures>* PairNarratives(
      grpc::CallbackServerContext* context, gongkai::v1::NarrativePairs* response) override;

 private:
  // Requests and responses of Validate and ValidateBatch live on one arena per call.
  ValidatorServiceImpl(ValidatorServiceOptions options, Validator validator);
  // The validator for a request's configuration (the default one when it carries none).
  absl::StatusOr<Validator> ValidatorFor(const gongkai::v1::RuleConfig& config) const;

  ValidatorServiceOptions options_;
  Validator default_validator_;
  ArenaMessageAllocator<gongkai::v1::ValidateRequest, gongkai::v1::ValidateResponse> validate_allocator_;
  ArenaMessageAllocator<gongkai::v1::ValidateBatchRequest, gongkai::v1::ValidateBatchResponse> batch_allocator_;
};

}  // namespace gongkai::validator

#endif  // GONGKAI_SERVICES_VALIDATOR_VALIDATOR_SERVICE_H_
