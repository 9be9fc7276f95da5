#include "tools/data_integrity_signer.h"

#include "engine/encoding.h"
#include "engine/jcs.h"
#include "engine/json_writer.h"
#include "engine/sha256.h"

namespace credsweep::tools {

Result<std::string> AddDataIntegrityProof(std::string_view document_json, const PrivateKey& key,
                                          const ProofOptions& options) {
  std::string_view suite;
  switch (key.alg()) {
    case JwsAlg::kEdDSA: suite = "eddsa-jcs-2022"; break;
    case JwsAlg::kES256:
    case JwsAlg::kES384: suite = "ecdsa-jcs-2019"; break;
    default: return InvalidArgument("Data Integrity proofs need an Ed25519, P-256 or P-384 key");
  }
  std::string proof;
  JsonWriter w(&proof);
  w.BeginObject().Member("type", "DataIntegrityProof").Member("cryptosuite", suite);
  w.Member("verificationMethod", options.verification_method).Member("proofPurpose", options.purpose);
  if (!options.created.empty()) w.Member("created", options.created);
  if (!options.challenge.empty()) w.Member("challenge", options.challenge);
  if (!options.domain.empty()) w.Member("domain", options.domain);
  w.EndObject();
  auto proof_jcs = JcsCanonicalize(proof);
  auto document_jcs = JcsCanonicalize(document_json);
  if (!proof_jcs.ok()) return proof_jcs.status();
  if (!document_jcs.ok()) return document_jcs.status();
  // hashData = H(JCS(proof options)) || H(JCS(document)), H by the key's curve.
  auto hash = [&](const std::string& s) {
    return key.alg() == JwsAlg::kES384 ? Sha384(s) : Sha256(s);
  };
  auto signature = key.Sign(hash(*proof_jcs) + hash(*document_jcs));
  if (!signature.ok()) return signature.status();
  std::string out = *document_jcs;
  if (out.size() < 2 || out.back() != '}') return InvalidArgument("the document is not a JSON object");
  out.pop_back();
  proof.pop_back();
  out += (out.size() > 1 ? ",\"proof\":" : "\"proof\":") + proof + ",\"proofValue\":\"z" +
         Base58BtcEncode(*signature) + "\"}}";
  return out;
}

}  // namespace credsweep::tools
