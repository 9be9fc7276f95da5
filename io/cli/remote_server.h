// The commands that can go through a running `credsweep serve` (--server HOST:PORT)
// connect here: a RESP connection, authenticated with the token in --token-file.
#ifndef CREDSWEEP_IO_CLI_REMOTE_SERVER_H_
#define CREDSWEEP_IO_CLI_REMOTE_SERVER_H_

#include <memory>
#include <string>

#include "engine/result.h"
#include "io/resp/client.h"

namespace credsweep::io::cli {

// A connection to `server` (HOST:PORT), authenticated when `token_file` is given
// (its first line), named `actor` (CLIENT SETNAME) when that is given.
// InvalidArgument when the server refuses the token.
Result<std::unique_ptr<resp::Client>> ConnectServer(const std::string& server, const std::string& token_file,
                                                    const std::string& actor);

}  // namespace credsweep::io::cli

#endif  // CREDSWEEP_IO_CLI_REMOTE_SERVER_H_
