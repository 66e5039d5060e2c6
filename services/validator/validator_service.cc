#include "services/validator/validator_service.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/grpc_status.h"
#include "services/validator/similarity.h"

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
  std::vector<std::string> signatures;
  size_t i = 0;
  for (std::vector<v1::Finding>& findings :
       validator->ValidateBatch(reports, previous, request->narrative_signatures() ? &signatures : nullptr)) {
    v1::ValidateResponse* result = response->add_results();
    for (v1::Finding& f : findings) *result->add_findings() = std::move(f);
    if (i < signatures.size()) result->mutable_narrative_signature()->swap(signatures[i]);
    ++i;
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

namespace {

// Reads every chunk of signatures, then answers the candidate pairs among all of them.
class PairNarrativesReactor final : public grpc::ServerReadReactor<v1::NarrativeSignatures> {
 public:
  PairNarrativesReactor(v1::NarrativePairs* response, int64_t max_signatures)
      : response_(response), max_signatures_(max_signatures) {
    StartRead(&chunk_);
  }

  void OnReadDone(bool ok) override {
    if (ok) {
      absl::Status taken = Take();
      if (!taken.ok()) {
        Finish(ToGrpcStatus(taken));
        return;
      }
      chunk_.Clear();
      StartRead(&chunk_);
      return;
    }
    // The stream has ended: every signature is in.
    int64_t left_out = 0;
    for (const NarrativePair& p : CopiedCandidates(signatures_, max_pairs_ > 0 ? max_pairs_ : copied::kMaxPairsPerReport, &left_out)) {
      v1::NarrativePairs::Pair* pair = response_->add_pairs();
      pair->set_a(ids_[p.a]);
      pair->set_b(ids_[p.b]);
      pair->set_estimate(p.estimate);
    }
    response_->set_left_out(left_out);
    Finish(grpc::Status::OK);
  }

  void OnDone() override { delete this; }

 private:
  absl::Status Take() {
    if (first_) max_pairs_ = chunk_.max_pairs_per_report();
    first_ = false;
    for (v1::NarrativeSignatures::Entry& e : *chunk_.mutable_entries()) {
      if (static_cast<int64_t>(ids_.size()) >= max_signatures_) {
        return absl::ResourceExhaustedError(absl::StrCat("more than ", max_signatures_, " signatures in one stream"));
      }
      if (!seen_.insert(e.id()).second) return absl::InvalidArgumentError(absl::StrCat("id ", e.id(), " given twice"));
      if (!signatures_.Add(e.signature())) {
        return absl::InvalidArgumentError(absl::StrCat("the signature of id ", e.id(), " has ", e.signature().size(),
                                                       " bytes; a narrative signature has at least 512 (or none)"));
      }
      ids_.push_back(e.id());
    }
    return absl::OkStatus();
  }

  v1::NarrativePairs* response_;
  int64_t max_signatures_;
  v1::NarrativeSignatures chunk_;
  bool first_ = true;
  int max_pairs_ = 0;
  std::vector<int64_t> ids_;
  absl::flat_hash_set<int64_t> seen_;
  JobSignatures signatures_;
};

}  // namespace

grpc::ServerReadReactor<v1::NarrativeSignatures>* ValidatorServiceImpl::PairNarratives(
    grpc::CallbackServerContext* context, v1::NarrativePairs* response) {
  return new PairNarrativesReactor(response, options_.max_narrative_signatures);
}

}  // namespace gongkai::validator
