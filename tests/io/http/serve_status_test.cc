// `serve --http`: POST /v1/status for a batch of ids, and `--public-reasons no`
// keeping revocation reasons out of every HTTP answer. Real binary, curl.
#include <gtest/gtest.h>

#include <string>

#include "tests/io/http/published_fixture.h"

namespace credsweep {
namespace {

using ServeStatusTest = testing::PublishedFixture;
using testing::kIssuer;
using testing::Shell;
namespace fs = std::filesystem;

std::string Origin(int port) { return "http://127.0.0.1:" + std::to_string(port); }

// curl POSTing `body` (a file with @) to `path`; headers and body.
std::string Post(int port, const std::string& path, const std::string& data, const std::string& type) {
  return Shell("curl -s -i --max-time 10 -H 'Content-Type: " + type + "' --data-binary '" + data + "' " +
               Origin(port) + path + " 2>&1");
}

TEST_F(ServeStatusTest, PostStatusAnswersEveryIdInRequestOrder) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  std::string r = Post(port_, "/v1/status", R"({"ids":["urn:revoked","urn:nope","urn:active","urn:revoked"]})",
                       "application/json");
  ASSERT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_NE(r.find("Content-Type: application/json"), std::string::npos) << r;
  size_t revoked = r.find(R"({"id":"urn:revoked","state":"revoked","reason":"fraud")");
  size_t nope = r.find(R"({"id":"urn:nope","state":"unknown"})");
  size_t active = r.find(R"({"id":"urn:active","state":"active")");
  ASSERT_NE(revoked, std::string::npos) << r;
  ASSERT_NE(nope, std::string::npos) << r;
  ASSERT_NE(active, std::string::npos) << r;
  EXPECT_LT(revoked, nope);
  EXPECT_LT(nope, active);
  EXPECT_NE(r.find(R"({"id":"urn:revoked")", active), std::string::npos) << "a repeated id is answered again: " << r;
  EXPECT_NE(r.find(R"("status_list":{"id":")" + base_ + "/1\""), std::string::npos) << r;
}

TEST_F(ServeStatusTest, PostStatusLimitsAndBadBodies) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  std::string ids;
  for (int i = 0; i < 1001; ++i) ids += std::string(i ? "," : "") + "\"urn:x" + std::to_string(i) + "\"";
  std::string many = Post(port_, "/v1/status", "{\"ids\":[" + ids + "]}", "application/json");
  EXPECT_NE(many.find("HTTP/1.1 400"), std::string::npos) << many.substr(0, 200);
  EXPECT_NE(many.find("at most 1000 ids per request, got 1001"), std::string::npos) << many.substr(0, 300);
  std::string big = Shell("head -c 70000 /dev/zero | tr '\\0' ' ' | curl -s -i --max-time 10 --data-binary @- " +
                          Origin(port_) + "/v1/status 2>&1");
  EXPECT_NE(big.find("HTTP/1.1 413"), std::string::npos) << big.substr(0, 200);
  for (const char* bad : {"not json", R"({"ids":"urn:a"})", R"({"ids":[]})", R"({"ids":[7]})", R"(["urn:a"])"}) {
    std::string r = Post(port_, "/v1/status", bad, "application/json");
    EXPECT_NE(r.find("HTTP/1.1 400"), std::string::npos) << bad << ": " << r;
    EXPECT_NE(r.find("{\"error\":"), std::string::npos) << bad << ": " << r;
  }
  std::string get = Shell("curl -s -i --max-time 10 " + Origin(port_) + "/v1/status 2>&1");
  EXPECT_NE(get.find("HTTP/1.1 405"), std::string::npos) << get;
  EXPECT_NE(get.find("Allow: POST"), std::string::npos) << get;
}

// The reasons of the index reach HTTP clients by default, and none with --public-reasons no.
TEST_F(ServeStatusTest, PublicReasonsNoLeavesReasonsOutOfEveryHttpAnswer) {
  const std::vector<std::string> keys = {"--jwks", std::string(kIssuer) + "=" + dir_ + "/issuer.jwks.json"};
  auto answers = [&] {
    std::string all = Shell("curl -s --max-time 10 " + Origin(port_) + "/v1/credentials/urn:revoked/status");
    all += Post(port_, "/v1/status", R"({"ids":["urn:revoked","urn:suspended"]})", "application/json");
    all += Shell("curl -s --max-time 20 -H 'Content-Type: application/x-ndjson' --data-binary @" + dir_ +
                 "/revoked.jwt " + Origin(port_) + "/v1/verify");
    return all;
  };
  {
    auto server = Serve(keys);
    ASSERT_TRUE(server->Ready());
    std::string open = answers();
    EXPECT_NE(open.find("\"reason\":\"fraud\""), std::string::npos) << open;
    EXPECT_NE(open.find("inquiry"), std::string::npos) << open;
    EXPECT_NE(open.find("(fraud)"), std::string::npos) << "the verification result quotes the reason: " << open;
  }
  std::vector<std::string> closed_args = keys;
  closed_args.insert(closed_args.end(), {"--public-reasons", "no"});
  auto server = Serve(closed_args);
  ASSERT_TRUE(server->Ready());
  std::string closed = answers();
  EXPECT_NE(closed.find("\"state\":\"revoked\""), std::string::npos) << closed;
  EXPECT_NE(closed.find("\"code\":\"revoked\""), std::string::npos) << closed;
  EXPECT_EQ(closed.find("fraud"), std::string::npos) << closed;
  EXPECT_EQ(closed.find("inquiry"), std::string::npos) << closed;
  EXPECT_EQ(closed.find("\"reason\""), std::string::npos) << closed;
}

// SIGHUP rebuilds the verifier of POST /v1/verify: a list folder whose index.json
// gained a list is read again.
TEST_F(ServeStatusTest, SighupReloadsTheListFolderOfTheVerifier) {
  const std::string folder = dir_ + "/folder";
  fs::create_directories(folder);
  fs::copy(out() + "/lists", folder + "/lists");
  std::ofstream(folder + "/index.json") << "{}\n";
  auto server = Serve({"--jwks", std::string(kIssuer) + "=" + dir_ + "/issuer.jwks.json", "--status-lists", folder});
  ASSERT_TRUE(server->Ready());
  auto verify = [&] {
    return Shell("curl -s --max-time 20 --data-binary @" + dir_ + "/active.jwt " + Origin(port_) + "/v1/verify");
  };
  std::string before = verify();
  EXPECT_NE(before.find("\"code\":\"status_list_unavailable\""), std::string::npos) << before;
  fs::copy_file(out() + "/index.json", folder + "/index.json", fs::copy_options::overwrite_existing);
  ASSERT_EQ(kill(server->pid(), SIGHUP), 0);
  ASSERT_TRUE(LogShows("SIGHUP: verifier rebuilt")) << testing::ReadFile(dir_ + "/serve.log");
  std::string after = verify();
  EXPECT_NE(after.find("\"revocation\":{\"result\":\"pass\""), std::string::npos) << after;
  EXPECT_NE(after.find("\"verified\":true"), std::string::npos) << after;
}

TEST_F(ServeStatusTest, PublicReasonsTakesYesOrNo) {
  std::string r = Shell(std::string(CREDSWEEP_BINARY) + " serve --db " + db() +
                        " --resp 127.0.0.1:0 --public-reasons maybe 2>&1; echo rc=$?");
  EXPECT_NE(r.find("--public-reasons takes yes or no"), std::string::npos) << r;
  EXPECT_NE(r.find("rc=2"), std::string::npos) << r;
}

}  // namespace
}  // namespace credsweep
