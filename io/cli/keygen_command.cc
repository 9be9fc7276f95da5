// credsweep keygen --alg ALG --out KEY.jwk : a private JWK and its public JWK Set.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "engine/signer.h"
#include "io/cli/commands.h"
#include "io/private_file.h"

namespace credsweep::io::cli {
namespace {

struct KeygenArgs {
  std::string alg = "ES256";
  std::string out;
  std::string jwks_out;
  std::string kid;
  bool force = false;
};

int RunKeygen(const KeygenArgs& a) {
  auto alg = ParseAlgOption(a.alg);
  if (!alg) return UsageError("--alg: unsupported algorithm '" + a.alg + "'");
  auto key = PrivateKey::Generate(*alg);
  if (!key.ok()) return UsageError(key.status().message());
  if (!a.kid.empty()) (*key)->set_kid(a.kid);
  std::string jwks_out = a.jwks_out;
  if (jwks_out.empty()) {
    jwks_out = a.out.ends_with(".jwk") ? a.out.substr(0, a.out.size() - 4) : a.out;
    jwks_out += ".jwks.json";
  }
  // Checked for both files before either is written: a key pair is never half replaced.
  if (!a.force) {
    for (const auto& path : {a.out, jwks_out}) {
      std::error_code ec;
      if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
        return UsageError(path + " already exists; keygen does not overwrite keys (use --force to replace it)");
      }
    }
  }
  if (Status s = io::WritePrivateFile(a.out, (*key)->ToPrivateJwkJson() + "\n", a.force); !s.ok()) {
    return UsageError(s.message());
  }
  std::ofstream pub(jwks_out, std::ios::binary | std::ios::trunc);
  pub << "{\"keys\":[" << (*key)->ToPublicJwkJson() << "]}\n";
  if (!pub) return UsageError("cannot write " + jwks_out);
  spdlog::info("{} key '{}': private JWK in {}, public JWK Set in {}", a.alg, (*key)->kid(), a.out,
               jwks_out);
  return 0;
}

}  // namespace

void AddKeygenCommand(CLI::App& app, int* exit_code) {
  auto a = std::make_shared<KeygenArgs>();
  CLI::App* cmd = app.add_subcommand("keygen", "Generate a signing key (private JWK + public JWK Set)");
  cmd->add_option("--alg", a->alg, "ES256, ES384, ES512, ES256K, EdDSA, RS256, PS256, ... (any case)")
      ->capture_default_str();
  cmd->add_option("--out", a->out, "Private JWK file to write")->required();
  cmd->add_option("--jwks-out", a->jwks_out, "Public JWK Set file (default: OUT with .jwks.json)");
  cmd->add_option("--kid", a->kid, "Key id (default: the RFC 7638 thumbprint)");
  cmd->add_flag("--force", a->force, "Replace existing key files (default: refuse to overwrite)");
  cmd->callback([a, exit_code] { *exit_code = RunKeygen(*a); });
}

}  // namespace credsweep::io::cli
