#include "io/http/withheld_reasons.h"

namespace credsweep::io::http {

namespace {

class ReasonlessLookup final : public StatusLookup {
 public:
  explicit ReasonlessLookup(std::shared_ptr<const StatusLookup> index) : index_(std::move(index)) {}
  Result<std::optional<StatusRecord>> Lookup(std::string_view credential_id) const override {
    auto r = index_->Lookup(credential_id);
    if (r.ok() && *r) (*r)->reason.clear();
    return r;
  }
  void Prefetch(std::string_view credential_id) const override { index_->Prefetch(credential_id); }

 private:
  std::shared_ptr<const StatusLookup> index_;
};

}  // namespace

std::shared_ptr<const StatusLookup> WithoutReasons(std::shared_ptr<const StatusLookup> index) {
  return std::make_shared<ReasonlessLookup>(std::move(index));
}

}  // namespace credsweep::io::http
