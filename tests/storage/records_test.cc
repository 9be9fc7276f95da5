#include "storage/records.h"

#include <gtest/gtest.h>

#include "engine/coding.h"

namespace credsweep::storage {
namespace {

TEST(Coding, VarintsAndPrefixedStringsRoundTrip) {
  std::string buf;
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 1ull << 35, ~0ull}) PutVarint64(&buf, v);
  PutLengthPrefixed(&buf, "urn:uuid:x");
  std::string_view in(buf);
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 1ull << 35, ~0ull}) {
    uint64_t got;
    ASSERT_TRUE(GetVarint64(&in, &got));
    EXPECT_EQ(got, v);
  }
  std::string_view s;
  ASSERT_TRUE(GetLengthPrefixed(&in, &s));
  EXPECT_EQ(s, "urn:uuid:x");
  EXPECT_TRUE(in.empty());
  std::string_view truncated("\x05" "abc", 4);
  EXPECT_FALSE(GetLengthPrefixed(&truncated, &s));
}

TEST(Coding, BigEndianKeysSortNumerically) {
  EXPECT_LT(BigEndian64(255), BigEndian64(256));
  EXPECT_LT(BigEndian64(1), BigEndian64(1ull << 40));
  EXPECT_EQ(DecodeBigEndian64(BigEndian64(123456789)), 123456789u);
}

TEST(StatusRecordEncoding, RoundTripsAndRejectsDamage) {
  StatusRecord r;
  r.state = CredentialState::kSuspended;
  r.reason = "under investigation";
  r.changed_at = 1767225600;
  r.list_id = "alliance-2026-1";
  r.list_index = 94567;
  r.last_event = 42;
  r.issuer = "https://uni.example";
  std::string enc = EncodeStatusRecord(r);
  StatusRecord back;
  ASSERT_TRUE(DecodeStatusRecord(enc, &back));
  EXPECT_EQ(back.state, r.state);
  EXPECT_EQ(back.reason, r.reason);
  EXPECT_EQ(back.changed_at, r.changed_at);
  EXPECT_EQ(back.list_id, r.list_id);
  EXPECT_EQ(back.list_index, r.list_index);
  EXPECT_EQ(back.last_event, 42u);
  EXPECT_EQ(back.issuer, "https://uni.example");
  EXPECT_FALSE(DecodeStatusRecord(enc.substr(0, enc.size() - 1), &back));
  std::string bad_state = enc;
  bad_state[1] = 7;
  EXPECT_FALSE(DecodeStatusRecord(bad_state, &back));
  EXPECT_FALSE(DecodeStatusRecord(enc + "x", &back));
}

TEST(EventEncoding, HashCoversEveryField) {
  Event e;
  e.seq = 7;
  e.time = 1767225600;
  e.op = Operation::kRevoke;
  e.id = "urn:uuid:1";
  e.old_state = CredentialState::kActive;
  e.new_state = CredentialState::kRevoked;
  e.actor = "registrar";
  e.reason = "issued in error";
  e.prev_hash = std::string(32, '\x11');
  e.hash = ChainHash(e);
  Event back;
  ASSERT_TRUE(DecodeEvent(EncodeEvent(e), &back));
  EXPECT_EQ(back.hash, e.hash);
  EXPECT_EQ(ChainHash(back), e.hash);
  for (auto mutate : std::vector<void (*)(Event*)>{
           [](Event* x) { x->reason += "!"; }, [](Event* x) { x->time += 1; },
           [](Event* x) { x->actor = "someone"; }, [](Event* x) { x->new_state = CredentialState::kActive; },
           [](Event* x) { x->old_state.reset(); }, [](Event* x) { x->prev_hash[0] ^= 1; },
           [](Event* x) { x->op = Operation::kUnrevoke; }}) {
    Event changed = e;
    mutate(&changed);
    EXPECT_NE(ChainHash(changed), e.hash);
  }
}

TEST(EventEncoding, UnrevokeRoundTripsAndUnknownOperationsAreRefused) {
  Event e;
  e.seq = 2;
  e.op = Operation::kUnrevoke;
  e.id = "urn:uuid:1";
  e.old_state = CredentialState::kRevoked;
  e.new_state = CredentialState::kActive;
  e.reason = "revoked the wrong id";
  e.prev_hash = std::string(32, '\0');
  e.hash = ChainHash(e);
  std::string enc = EncodeEvent(e);
  Event back;
  ASSERT_TRUE(DecodeEvent(enc, &back));
  EXPECT_EQ(back.op, Operation::kUnrevoke);
  EXPECT_EQ(OperationName(back.op), "unrevoke");
  e.op = static_cast<Operation>(7);
  EXPECT_FALSE(DecodeEvent(EncodeEvent(e), &back));
}

}  // namespace
}  // namespace credsweep::storage
