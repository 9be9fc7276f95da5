// The HOST:PORT a server listens on (`serve --resp`, `--http`), parsed strictly.
#ifndef CREDSWEEP_IO_LISTEN_ADDRESS_H_
#define CREDSWEEP_IO_LISTEN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io {

struct ListenAddress {
  std::string host;             // an IP literal, without brackets
  uint16_t port = 0;            // 0: any free port
  bool all_interfaces = false;  // 0.0.0.0 or ::: reachable from other machines
};

// HOST:PORT where HOST is an IPv4 literal (127.0.0.1), an IPv6 literal in brackets
// ([::1]), `localhost` (127.0.0.1) or empty (":6380", all IPv4 interfaces), and PORT
// is 0 to 65535 in decimal digits only. Anything else ("6380", "localhost:6380x",
// "example.org:80", "127.0.0.1:99999") is InvalidArgument with a message that
// quotes the value and says what is expected.
Result<ListenAddress> ParseListenAddress(std::string_view text);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_LISTEN_ADDRESS_H_
