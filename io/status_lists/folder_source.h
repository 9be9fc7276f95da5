// A folder of published documents for offline runs: status list credentials
// (`verify --status-lists DIR`) and the documents issuers publish their keys in
// (`verify --did-documents DIR`). DIR/index.json maps each URL to a file in DIR:
//   {"https://status.example/lists/1": "list-1.jwt", "https://...": "sub/list-2.json"}
// A did:web DID may stand for its document's URL (engine/did.h DidWebDocumentUrl):
//   {"did:web:uni.example": "uni-did.json"}
// Files hold the document exactly as published (compact JWS or JSON).
#ifndef CREDSWEEP_IO_STATUS_LISTS_FOLDER_SOURCE_H_
#define CREDSWEEP_IO_STATUS_LISTS_FOLDER_SOURCE_H_

#include <map>
#include <memory>
#include <string>

#include "engine/ports.h"

namespace credsweep::io {

class StatusListDirectory final : public StatusListSource {
 public:
  // `what` names the documents in messages ("status list folder DIR has no ...").
  static Result<std::unique_ptr<StatusListDirectory>> Open(const std::string& dir, std::string_view what = "status list");
  Result<std::string> Fetch(std::string_view url) const override;
  size_t size() const { return files_.size(); }

 private:
  std::string dir_;
  std::map<std::string, std::string, std::less<>> files_;  // url -> path
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_LISTS_FOLDER_SOURCE_H_
