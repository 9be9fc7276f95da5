#include "io/cli/remote_server.h"

#include <fstream>

namespace credsweep::io::cli {

Result<std::unique_ptr<resp::Client>> ConnectServer(const std::string& server, const std::string& token_file,
                                                    const std::string& actor) {
  auto c = resp::Client::Connect(server);
  if (!c.ok()) return c.status();
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    std::string token;
    if (!in || !std::getline(in, token)) return InvalidArgument("cannot read token file " + token_file);
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
    auto r = (*c)->Call({"AUTH", token});
    if (!r.ok()) return r.status();
    if (r->type == resp::Reply::Type::kError) return InvalidArgument("server refused the token: " + r->str);
  }
  if (!actor.empty()) {
    auto r = (*c)->Call({"CLIENT", "SETNAME", actor});
    if (!r.ok()) return r.status();
  }
  return c;
}

}  // namespace credsweep::io::cli
