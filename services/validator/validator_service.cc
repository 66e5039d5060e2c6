#include "services/validator/validator_service.h"

#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"

namespace gongkai::validator {

absl::StatusOr<std::unique_ptr<ValidatorServiceImpl>> ValidatorServiceImpl::Create(ValidatorServiceOptions options) {
  absl::StatusOr<Validator> validator = Validator::Create(options.default_rules);
  if (!validator.ok()) return validator.status();
  return std::unique_ptr<ValidatorServiceImpl>(new ValidatorServiceImpl(std::move(options), std::move(*validator)));
}

ValidatorServiceImpl::ValidatorServiceImpl(ValidatorServiceOptions options, Validator validator)
    : options_(std::move(options)), default_validator_(std::move(validator)) {
  SetMessageAllocatorFor_Validate(&validate_allocator_);
  SetMessageAllocatorFor_ValidateBatch(&batch_allocator_);
}

absl::StatusOr<Validator> ValidatorServiceImpl::ValidatorFor(const v1::RuleConfig& config) const {
  if (config.overrides_size() == 0) return default_validator_;
  return Validator::Create(config);
}

grpc::ServerUnaryReactor* ValidatorServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                         const v1::ValidateRequest* request,
                                                         v1::ValidateResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<Validator> validator = ValidatorFor(request->rules());
  if (!validator.ok()) {
    reactor->Finish(ToGrpcStatus(validator.status()));
    return reactor;
  }
  const v1::AnnualReport* previous = request->has_previous() ? &request->previous() : nullptr;
  for (v1::Finding& f : validator->Validate(request->report(), previous)) *response->add_findings() = std::move(f);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* ValidatorServiceImpl::ValidateBatch(grpc::CallbackServerContext* context,
                                                              const v1::ValidateBatchRequest* request,
                                                              v1::ValidateBatchResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  if (request->reports_size() > options_.max_batch_reports) {
    reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(absl::StrCat(
        "the batch holds ", request->reports_size(), " reports; at most ", options_.max_batch_reports, " per call"))));
    return reactor;
  }
  absl::StatusOr<Validator> validator = ValidatorFor(request->rules());
  if (!validator.ok()) {
    reactor->Finish(ToGrpcStatus(validator.status()));
    return reactor;
  }
  std::vector<const v1::AnnualReport*> reports, previous;
  for (const v1::ValidateRequest& r : request->reports()) {
    if (r.rules().overrides_size() > 0) {
      reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(
          "a report in ValidateBatch carries its own rule configuration; give one for the batch in `rules`")));
      return reactor;
    }
    reports.push_back(&r.report());
    previous.push_back(r.has_previous() ? &r.previous() : nullptr);
  }
  for (std::vector<v1::Finding>& findings : validator->ValidateBatch(reports, previous)) {
    v1::ValidateResponse* result = response->add_results();
    for (v1::Finding& f : findings) *result->add_findings() = std::move(f);
  }
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* ValidatorServiceImpl::ListRules(grpc::CallbackServerContext* context,
                                                          const v1::ListRulesRequest* request,
                                                          v1::ListRulesResponse* response) {
  for (const Validator::ActiveRule& active : default_validator_.rules()) {
    v1::RuleInfo* info = response->add_rules();
    info->set_id(active.rule->id);
    info->set_default_severity(active.severity);
    info->set_description(active.rule->description);
    info->set_description_en(active.rule->description_en);
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

}  // namespace gongkai::validator
