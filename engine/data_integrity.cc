#include "engine/data_integrity.h"

#include <algorithm>

#include "engine/did.h"
#include "engine/encoding.h"
#include "engine/internal/algorithms.h"
#include "engine/internal/jcs_writer.h"
#include "engine/internal/openssl.h"

namespace credsweep {
namespace {

DataIntegrityResult Fail(std::string code, std::string message, std::string vm = "") {
  return {{std::move(code), std::move(message)}, std::move(vm)};
}

PublicKeyPtr ResolveOffline(const std::string& method, Finding* why) {
  auto key = ResolveDidKey(method);
  if (key.ok()) return std::move(key).value();
  *why = {"key_not_found", "cannot resolve " + method + ": " + key.status().message()};
  return nullptr;
}

}  // namespace

DataIntegrityResult VerifyDataIntegrity(std::string_view json, const VerificationMethodResolver& resolve,
                                        std::string_view expected_purpose) {
  simdjson::dom::parser parser;
  internal::object doc, proof;
  internal::element root;
  if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS ||
      root.get_object().get(doc) != simdjson::SUCCESS) {
    return Fail("malformed_proof", "the document is not a JSON object");
  }
  internal::element proof_el;
  if (doc["proof"].get(proof_el) != simdjson::SUCCESS) return Fail("not_sealed", "no proof");
  if (proof_el.is_array()) return Fail("unsupported_proof", "proof sets and chains are not supported");
  if (proof_el.get_object().get(proof) != simdjson::SUCCESS) return Fail("malformed_proof", "proof is not an object");
  auto type = internal::StringMember(proof, "type");
  auto suite = internal::StringMember(proof, "cryptosuite");
  auto vm = internal::StringMember(proof, "verificationMethod");
  auto value = internal::StringMember(proof, "proofValue");
  auto purpose = internal::StringMember(proof, "proofPurpose");
  if (!type || *type != "DataIntegrityProof") {
    return Fail("unsupported_proof", "proof type '" + std::string(type.value_or("")) + "' is not supported");
  }
  if (!suite || (*suite != "eddsa-jcs-2022" && *suite != "ecdsa-jcs-2019")) {
    return Fail("unsupported_proof", "cryptosuite '" + std::string(suite.value_or("")) +
                                         "' is not supported (eddsa-jcs-2022, ecdsa-jcs-2019)");
  }
  if (!vm || !value || !purpose) {
    return Fail("malformed_proof", "proof needs verificationMethod, proofPurpose and proofValue");
  }
  std::string method(*vm);
  if (*purpose != expected_purpose) {
    return Fail("malformed_proof",
                "proofPurpose '" + std::string(*purpose) + "' cannot secure a " +
                    (expected_purpose == "authentication" ? "presentation" : "credential") + " (" +
                    std::string(expected_purpose) + ")",
                method);
  }
  std::optional<UnixSeconds> created, expires;
  for (auto [name, slot] : {std::pair{"created", &created}, std::pair{"expires", &expires}}) {
    internal::element e;
    if (proof[name].get(e) != simdjson::SUCCESS) continue;
    std::string_view text;
    if (e.get_string().get(text) == simdjson::SUCCESS) *slot = ParseDateTimeStamp(text);
    if (!*slot) return Fail("malformed_proof", std::string("proof ") + name + " is not a dateTimeStamp", method);
  }
  if (value->empty() || (*value)[0] != 'z') return Fail("signature_malformed", "proofValue is not multibase base58btc", method);
  auto signature = Base58BtcDecode(value->substr(1));
  if (!signature) return Fail("signature_malformed", "proofValue is not base58btc", method);

  // The proof's @context, when present, must be a prefix of the document's.
  internal::element proof_ctx, doc_ctx;
  if (proof["@context"].get(proof_ctx) == simdjson::SUCCESS) {
    bool prefix = doc["@context"].get(doc_ctx) == simdjson::SUCCESS;
    if (prefix) {
      std::vector<std::string> a, b;
      for (auto [el, list] : {std::pair{proof_ctx, &a}, std::pair{doc_ctx, &b}}) {
        if (el.is_array()) {
          simdjson::dom::array arr = el.get_array().value_unsafe();
          for (internal::element x : arr) list->push_back(simdjson::minify(x));
        } else {
          list->push_back(simdjson::minify(el));
        }
      }
      prefix = a.size() <= b.size() && std::equal(a.begin(), a.end(), b.begin());
    }
    if (!prefix) return Fail("signature_invalid", "the proof's @context is not a prefix of the document's", method);
  }

  Finding why;
  PublicKeyPtr key = resolve ? resolve(method, &why) : ResolveOffline(method, &why);
  if (!key) return Fail(why.code, why.message, method);
  JwsAlg alg;
  internal::Hash hash = internal::Hash::kSha256;
  KeyKind kind = key->kind();
  if (*suite == "eddsa-jcs-2022") {
    if (kind != KeyKind::kEd25519) {
      return Fail("alg_key_mismatch", "eddsa-jcs-2022 needs an Ed25519 key, not " + std::string(KeyKindName(kind)), method);
    }
    alg = JwsAlg::kEdDSA;
  } else if (kind == KeyKind::kP256 || kind == KeyKind::kP384) {
    alg = internal::KeyTypeOf(kind).default_alg;
    hash = internal::AlgInfoOf(alg).hash;
  } else {
    return Fail("alg_key_mismatch", "ecdsa-jcs-2019 needs a P-256 or P-384 key, not " + std::string(KeyKindName(kind)), method);
  }

  // hashData = H(JCS(proof options)) || H(JCS(document without proof)).
  std::string proof_config, document;
  internal::AppendJcs(proof_el, &proof_config, {"proofValue"});
  internal::AppendJcs(root, &document, {"proof"});
  std::string hash_data = internal::Digest(hash, proof_config) + internal::Digest(hash, document);
  switch (key->Verify(alg, hash_data, *signature)) {
    case SignatureCheck::kValid:
      return {{"", std::string(*suite) + " proof verified with " + std::string(KeyKindName(kind)) + " key " +
                       std::string(DidOf(method))},
              method, created, expires};
    case SignatureCheck::kMalformed:
      return Fail("signature_malformed", "proofValue has the wrong length for " + std::string(*suite), method);
    case SignatureCheck::kInvalid:
      break;
  }
  return Fail("signature_invalid", "the " + std::string(*suite) + " proof does not verify", method);
}

}  // namespace credsweep
