// Micro benchmarks of the verification hot path. Setup happens outside the timed
// loops; every benchmark reports items/s (and bytes/s where it hashes or parses).
//
//   build/credsweep_micro_bench --benchmark_filter=Verify
//
// References measured in the same binary: libsodium's own Ed25519 verify and a
// naive OpenSSL 3 EVP_DigestVerify that fetches its algorithms on every call.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <simdjson.h>
#include <sodium.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "engine/credential_id.h"
#include "engine/encoding.h"
#include "engine/internal/json.h"
#include "engine/internal/openssl.h"
#include "engine/keys.h"
#include "engine/signer.h"
#include "engine/status_list.h"

namespace credsweep {
namespace {

std::string Credential(size_t target_bytes) {
  std::string c = R"({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:1b4f0e98-7d49-4e3b-a7a8-2f6d5c1a9e01","type":["VerifiableCredential","MicroCredential"],"issuer":{"id":"https://credentials.alliance.example/issuers/ugent","name":"Universiteit Gent"},"validFrom":"2025-02-01T00:00:00Z","validUntil":"2030-02-01T00:00:00Z","credentialSubject":{"id":"did:example:learner:42","type":"Learner","achievement":{"type":"MicroCredential","title":"Micro-credential: Data Stewardship for Research","ects":3,"eqfLevel":7,"learningOutcomes":["Plan, document and publish research data according to FAIR principles."],"assessment":{"type":"Supervised online exam","grade":"A"}}},"credentialStatus":{"id":"https://status.alliance.example/lists/1#94567","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"94567","statusListCredential":"https://status.alliance.example/lists/1"})";
  if (c.size() + 40 < target_bytes) {
    c += R"(,"image":")" + std::string(target_bytes - c.size() - 40, 'Q') + "\"";
  }
  return c + "}";
}

// The payload of a credential of `credsweep sample`'s corpus, which
// scripts/bench-verify verifies (1,954 bytes: an achievement with alignments, a
// result description, its creator's address, two status entries).
constexpr std::string_view kSamplePayload =
    R"json({"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:e220a839-7b1d-4daf-a706-dd2f4d197e6f","type":["VerifiableCredential","MicroCredential"],"issuer":{"id":"https://credentials.alliance.example/issuers/ugent","name":"Universiteit Gent"},"validFrom":"2026-02-26T00:00:00Z","validUntil":"2031-02-25T00:00:00Z","credentialSubject":{"id":"did:example:learner:aeaf52fe-be70-4064","type":"Learner","name":"Learner 0","achievement":{"type":"MicroCredential","title":"Micro-credential: Academic Writing in English","ects":3,"eqfLevel":7,"learningOutcomes":["Structure and argue a research paper for international journals."],"thematicArea":{"id":"http://data.europa.eu/snb/isced-f/0231"},"assessment":{"type":"Supervised online exam","grade":"A"},"awardingBody":"Universiteit Gent","issuingBody":"Alliance Credential Service","name":"Micro-credential: Academic Writing in English","creditsAvailable":3,"alignment":[{"type":["Alignment"],"targetName":"Structure and argue a research paper for international journals."},{"type":["Alignment"],"targetName":"EQF level 7","targetFramework":"EQF","targetCode":"7","targetUrl":"http://data.europa.eu/snb/eqf/7"}],"resultDescription":[{"type":["ResultDescription"],"name":"Supervised online exam","resultType":"LetterGrade"}],"mode":"online","creator":{"type":["Profile"],"name":"Universiteit Gent","address":{"type":["Address"],"addressCountryCode":"BE"}},"accreditation":{"type":"Accreditation","title":"Institutional accreditation (ESG)"}}},"credentialStatus":[{"id":"https://status.alliance.example/ugent/1#23745","type":"BitstringStatusListEntry","statusPurpose":"revocation","statusListIndex":"23745","statusListCredential":"https://status.alliance.example/ugent/1"},{"id":"https://status.alliance.example/ugent/1-suspension#23745","type":"BitstringStatusListEntry","statusPurpose":"suspension","statusListIndex":"23745","statusListCredential":"https://status.alliance.example/ugent/1-suspension"}]})json";

void BM_Base64UrlDecode(benchmark::State& state) {
  std::string text = Base64UrlEncode(Credential(static_cast<size_t>(state.range(0))));
  std::string out;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Base64UrlDecodeInto(text, &out));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_Base64UrlDecode)->Arg(1500)->Arg(150 * 1024);

void BM_JsonParse(benchmark::State& state) {
  std::string doc = Credential(static_cast<size_t>(state.range(0)));
  simdjson::padded_string padded(doc);
  simdjson::dom::parser parser;
  for (auto _ : state) {
    simdjson::dom::element e;
    benchmark::DoNotOptimize(parser.parse(padded).get(e));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(doc.size()));
}
BENCHMARK(BM_JsonParse)->Arg(1500)->Arg(150 * 1024);

// The format check's duplicate-member scan over an already parsed credential: the
// cost the check adds per record (compare with BM_Verify/ES256).
void ScanForDuplicates(benchmark::State& state, std::string_view doc) {
  simdjson::padded_string padded(doc);
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(padded).value();
  for (auto _ : state) {
    auto dup = internal::DuplicateMember(root);
    if (dup) state.SkipWithError("the benchmark document has a duplicate member");
    benchmark::DoNotOptimize(dup);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_DuplicateMemberScan(benchmark::State& state) {
  ScanForDuplicates(state, Credential(static_cast<size_t>(state.range(0))));
}
BENCHMARK(BM_DuplicateMemberScan)->Arg(1500)->Arg(150 * 1024);

void BM_DuplicateMemberScanSample(benchmark::State& state) { ScanForDuplicates(state, kSamplePayload); }
BENCHMARK(BM_DuplicateMemberScanSample);

void BM_Sha256(benchmark::State& state) {
  std::string data(static_cast<size_t>(state.range(0)), 'x');
  unsigned char out[64];
  for (auto _ : state) {
    benchmark::DoNotOptimize(internal::DigestInto(internal::Hash::kSha256, data, out));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(data.size()));
}
BENCHMARK(BM_Sha256)->Arg(1500)->Arg(150 * 1024);

// A credential id packed for the status index's lookups (twice per record in a
// sweep): 1,024 different ids in turn, a quarter of them in upper case.
void BM_PackUuidId(benchmark::State& state) {
  std::mt19937_64 rng(7);
  std::vector<std::string> ids;
  for (int i = 0; i < 1024; ++i) {
    char uuid[37];
    const uint64_t a = rng(), b = rng();
    std::snprintf(uuid, sizeof uuid, i % 4 == 0 ? "%08X-%04X-%04X-%04X-%012llX" : "%08x-%04x-%04x-%04x-%012llx",
                  static_cast<unsigned>(a >> 32), static_cast<unsigned>(a >> 16 & 0xffff),
                  static_cast<unsigned>(a & 0xffff), static_cast<unsigned>(b >> 48),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    ids.push_back(std::string("urn:uuid:") + uuid);
  }
  unsigned char out[16];
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(PackUuidId(ids[i++ & 1023], out));
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PackUuidId);

// PublicKey::Verify over a typical compact-JWS signing input.
void BM_Verify(benchmark::State& state, JwsAlg alg) {
  auto key = PrivateKey::Generate(alg).value();
  auto pub = PublicKey::FromJwk(key->ToPublicJwkJson()).value();
  std::string input = Base64UrlEncode(R"({"alg":"x","kid":"k","typ":"vc+jwt"})") + "." +
                      Base64UrlEncode(Credential(1500));
  std::string sig = key->Sign(input).value();
  for (auto _ : state) {
    if (pub->Verify(alg, input, sig) != SignatureCheck::kValid) state.SkipWithError("did not verify");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_Verify, ES256, JwsAlg::kES256);
BENCHMARK_CAPTURE(BM_Verify, ES384, JwsAlg::kES384);
BENCHMARK_CAPTURE(BM_Verify, ES512, JwsAlg::kES512);
BENCHMARK_CAPTURE(BM_Verify, ES256K, JwsAlg::kES256K);
BENCHMARK_CAPTURE(BM_Verify, EdDSA, JwsAlg::kEdDSA);
BENCHMARK_CAPTURE(BM_Verify, RS256, JwsAlg::kRS256);
BENCHMARK_CAPTURE(BM_Verify, RS384, JwsAlg::kRS384);
BENCHMARK_CAPTURE(BM_Verify, RS512, JwsAlg::kRS512);
BENCHMARK_CAPTURE(BM_Verify, PS256, JwsAlg::kPS256);
BENCHMARK_CAPTURE(BM_Verify, PS384, JwsAlg::kPS384);
BENCHMARK_CAPTURE(BM_Verify, PS512, JwsAlg::kPS512);

// Reference: libsodium's single Ed25519 verify over the same input size.
// A public key from its JWK, as a key binding JWT's holder key (cnf.jwk) is read
// for every SD-JWT VC presentation.
void BM_PublicKeyFromJwk(benchmark::State& state, JwsAlg alg) {
  auto key = PrivateKey::Generate(alg).value();
  const std::string jwk = key->ToPublicJwkJson();
  for (auto _ : state) {
    auto pub = PublicKey::FromJwk(jwk);
    benchmark::DoNotOptimize(pub);
  }
}
BENCHMARK_CAPTURE(BM_PublicKeyFromJwk, ES256, JwsAlg::kES256);
BENCHMARK_CAPTURE(BM_PublicKeyFromJwk, EdDSA, JwsAlg::kEdDSA);

// Reference for EdDSA: libsodium's verification of `count` different signatures by
// one key over messages of the same size, in turn. The message is the base64url text
// a JWS signs, of CREDSWEEP_REF_MESSAGE_BYTES bytes (scripts/bench-verify sets the
// corpus's mean signing input; 2,000 without it).
void SodiumVerify(benchmark::State& state, size_t count) {
  if (sodium_init() < 0) state.SkipWithError("sodium_init");
  size_t bytes = 2000;
  if (const char* env = std::getenv("CREDSWEEP_REF_MESSAGE_BYTES")) {
    char* end = nullptr;
    bytes = std::strtoul(env, &end, 10);
    if (end == env || *end != '\0' || bytes < 64 || bytes > (size_t{1} << 24)) {
      state.SkipWithError("CREDSWEEP_REF_MESSAGE_BYTES: not a size from 64 to 16 MiB");
      return;
    }
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  std::string base = Base64UrlEncode(Credential(bytes * 3 / 4));
  base.resize(bytes, 'Q');
  std::vector<std::string> msgs(count, base);
  std::vector<std::array<unsigned char, crypto_sign_BYTES>> sigs(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    msgs[i].replace(0, n.size(), n);
    crypto_sign_detached(sigs[i].data(), nullptr, reinterpret_cast<const unsigned char*>(msgs[i].data()),
                         msgs[i].size(), sk);
  }
  size_t i = 0;
  for (auto _ : state) {
    const std::string& m = msgs[i];
    if (crypto_sign_verify_detached(sigs[i].data(), reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                                    pk) != 0) {
      state.SkipWithError("bad");
    }
    if (++i == count) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["message_bytes"] = static_cast<double>(bytes);
}

// One signature over and over: the branch predictor learns its scalars (verification
// is variable-time), which no corpus allows. The earlier reference; kept to compare.
void BM_Reference_SodiumEd25519VerifySame(benchmark::State& state) { SodiumVerify(state, 1); }
BENCHMARK(BM_Reference_SodiumEd25519VerifySame);

// 4,096 different signatures in turn, as a corpus brings them: the reference.
void BM_Reference_SodiumEd25519Verify(benchmark::State& state) { SodiumVerify(state, 4096); }
BENCHMARK(BM_Reference_SodiumEd25519Verify);

// Reference: the naive OpenSSL 3 way, fetching the digest and key methods per call.
void BM_Reference_NaiveEvpEs256Verify(benchmark::State& state) {
  auto key = PrivateKey::Generate(JwsAlg::kES256).value();
  auto* pkey = static_cast<EVP_PKEY*>(key->evp_pkey());
  std::string msg = Base64UrlEncode(Credential(1500));
  internal::MdCtxPtr sctx(EVP_MD_CTX_new());
  size_t len = 0;
  EVP_DigestSignInit_ex(sctx.get(), nullptr, "SHA256", nullptr, nullptr, pkey, nullptr);
  auto* m = reinterpret_cast<const unsigned char*>(msg.data());
  EVP_DigestSign(sctx.get(), nullptr, &len, m, msg.size());
  std::string der(len, '\0');
  EVP_DigestSign(sctx.get(), reinterpret_cast<unsigned char*>(der.data()), &len, m, msg.size());
  der.resize(len);
  for (auto _ : state) {
    internal::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_DigestVerifyInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, pkey, nullptr);
    if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(der.data()), der.size(), m,
                         msg.size()) != 1) {
      state.SkipWithError("bad");
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Reference_NaiveEvpEs256Verify);

// A 1,048,576-entry Bitstring Status List with 1% of the bits set.
StatusBitstring BigList() {
  StatusBitstring list(1048576, 1);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 10486; ++i) list.Set(rng() % 1048576, 1);
  return list;
}

void BM_StatusListEncode(benchmark::State& state) {
  StatusBitstring list = BigList();
  for (auto _ : state) benchmark::DoNotOptimize(list.Encode());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StatusListEncode)->Unit(benchmark::kMicrosecond);

void BM_StatusListDecode(benchmark::State& state) {
  std::string encoded = BigList().Encode();
  for (auto _ : state) {
    auto r = StatusBitstring::Decode(encoded);
    if (!r.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["encoded_bytes"] = static_cast<double>(encoded.size());
}
BENCHMARK(BM_StatusListDecode)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace credsweep

BENCHMARK_MAIN();
