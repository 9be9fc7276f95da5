// A folder of status list credentials for offline runs (`verify --status-lists DIR`).
// DIR/index.json maps each list URL to a file in DIR:
//   {"https://status.example/lists/1": "list-1.jwt", "https://...": "sub/list-2.json"}
// Files hold the list credential exactly as published (compact JWS or JSON).
#ifndef CREDSWEEP_IO_STATUS_LISTS_FOLDER_SOURCE_H_
#define CREDSWEEP_IO_STATUS_LISTS_FOLDER_SOURCE_H_

#include <map>
#include <memory>
#include <string>

#include "engine/ports.h"

namespace credsweep::io {

class StatusListDirectory final : public StatusListSource {
 public:
  static Result<std::unique_ptr<StatusListDirectory>> Open(const std::string& dir);
  Result<std::string> Fetch(std::string_view url) const override;
  size_t size() const { return files_.size(); }

 private:
  std::string dir_;
  std::map<std::string, std::string, std::less<>> files_;  // url -> path
};

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_STATUS_LISTS_FOLDER_SOURCE_H_
