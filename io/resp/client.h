// A small blocking RESP2 client: what `credsweep status|revoke|... --server` use to
// talk to a running `credsweep serve`. One connection, one request at a time, every
// operation under a deadline, replies capped in size.
#ifndef CREDSWEEP_IO_RESP_CLIENT_H_
#define CREDSWEEP_IO_RESP_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/result.h"

namespace credsweep::io::resp {

struct Reply {
  enum class Type { kSimple, kError, kInteger, kBulk, kNil, kArray } type = Type::kNil;
  std::string str;       // simple, error (without '-'), bulk
  long long integer = 0;
  std::vector<Reply> elements;
};

class Client {
 public:
  // "HOST:PORT".
  static Result<std::unique_ptr<Client>> Connect(const std::string& address,
                                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~Client();
  Result<Reply> Call(const std::vector<std::string>& args);

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace credsweep::io::resp

#endif  // CREDSWEEP_IO_RESP_CLIENT_H_
