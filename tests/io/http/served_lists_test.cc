// Published status lists answer the URLs inside the credentials: `lists publish`
// writes each list at the path of its URL, `serve --http --lists` serves that
// folder at those paths (with CORS, OPTIONS and `Allow` on 405), and so does any
// static web server (python3 -m http.server). Real binary, real TCP, `verify --online`.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/io/http/published_fixture.h"

namespace credsweep {
namespace {

namespace fs = std::filesystem;
using testing::ServeProcess;
using testing::Shell;

using ServedListsTest = testing::PublishedFixture;
using testing::kIssuer;

// The active credential passes the revocation check: its code is empty or a pass code.
bool Matches(const std::vector<std::string>& codes) {
  return codes.size() == 3 && codes[1] == "revoked" && codes[2] == "suspended" && codes[0] != "revoked" &&
         codes[0] != "suspended" && codes[0].find("unavailable") == std::string::npos &&
         codes[0].find("no result") == std::string::npos;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "[" + x + "] ";
  return s;
}

TEST_F(ServedListsTest, EachListIsWrittenAtThePathOfItsUrl) {
  EXPECT_TRUE(fs::is_regular_file(out() + "/lists/1"));
  EXPECT_TRUE(fs::is_regular_file(out() + "/lists/1-suspension"));
  EXPECT_TRUE(fs::is_regular_file(out() + "/lists/1.json"));
  std::string index = testing::ReadFile(out() + "/index.json");
  EXPECT_NE(index.find("\"" + base_ + "/1\": \"lists/1\""), std::string::npos) << index;
  EXPECT_NE(index.find("\"" + base_ + "/1-suspension\": \"lists/1-suspension\""), std::string::npos) << index;
}

TEST_F(ServedListsTest, VerifyOnlineFetchesTheListsFromServeAtTheirUrls) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  auto codes = VerifyOnline();
  EXPECT_TRUE(Matches(codes)) << Join(codes);
}

TEST_F(ServedListsTest, AStaticWebServerOnTheFolderAnswersTheSameUrls) {
  testing::ServeProcess python({"/bin/sh", "-c",
                                "exec python3 -m http.server " + std::to_string(port_) +
                                    " --bind 127.0.0.1 --directory " + out()},
                               port_);
  ASSERT_TRUE(python.Ready()) << "python3 -m http.server did not start";
  auto codes = VerifyOnline();
  EXPECT_TRUE(Matches(codes)) << Join(codes);
}

TEST_F(ServedListsTest, ListResponsesCarryCorsHeadersAndCachingHeaders) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  std::string r = Curl("-H 'Origin: https://wallet.example' " + base_ + "/1");
  EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_NE(r.find("Access-Control-Allow-Origin: *"), std::string::npos) << r;
  EXPECT_NE(r.find("Access-Control-Expose-Headers: ETag"), std::string::npos) << r;
  EXPECT_NE(r.find("Content-Type: application/vc+jwt"), std::string::npos) << r;
  EXPECT_NE(r.find("Cache-Control: public, max-age=86400"), std::string::npos) << r;
  size_t e = r.find("ETag: ");
  ASSERT_NE(e, std::string::npos) << r;
  std::string etag = r.substr(e + 6, r.find("\r\n", e) - e - 6);
  std::string again = Curl("-H 'If-None-Match: " + etag + "' " + base_ + "/1");
  EXPECT_NE(again.find("HTTP/1.1 304"), std::string::npos) << again;
  EXPECT_NE(again.find("Access-Control-Allow-Origin: *"), std::string::npos) << again;
  std::string json = Curl(base_ + "/1.json");
  EXPECT_NE(json.find("Content-Type: application/json"), std::string::npos) << json;
  std::string head = Curl("-I " + base_ + "/1-suspension");
  EXPECT_NE(head.find("HTTP/1.1 200"), std::string::npos) << head;
  EXPECT_EQ(head.find("eyJ"), std::string::npos) << "HEAD has no body: " << head;
}

TEST_F(ServedListsTest, OptionsPreflightIsAnswered) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  std::string r = Curl("-X OPTIONS -H 'Origin: https://wallet.example' -H 'Access-Control-Request-Method: GET' "
                       "-H 'Access-Control-Request-Headers: if-none-match' " + base_ + "/1");
  EXPECT_NE(r.find("HTTP/1.1 204"), std::string::npos) << r;
  EXPECT_NE(r.find("Access-Control-Allow-Origin: *"), std::string::npos) << r;
  EXPECT_NE(r.find("Access-Control-Allow-Methods: GET, HEAD, OPTIONS"), std::string::npos) << r;
  EXPECT_NE(r.find("Access-Control-Allow-Headers: If-None-Match"), std::string::npos) << r;
  EXPECT_NE(r.find("Access-Control-Max-Age: 86400"), std::string::npos) << r;
}

TEST_F(ServedListsTest, A405NamesTheAllowedMethods) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
  std::string list = Curl("-X DELETE " + base_ + "/1");
  EXPECT_NE(list.find("HTTP/1.1 405"), std::string::npos) << list;
  EXPECT_NE(list.find("Allow: GET, HEAD, OPTIONS"), std::string::npos) << list;
  std::string health = Curl("-X POST -d x " + origin + "/healthz");
  EXPECT_NE(health.find("HTTP/1.1 405"), std::string::npos) << health;
  EXPECT_NE(health.find("Allow: GET, HEAD"), std::string::npos) << health;
  std::string verify = Curl(origin + "/v1/verify");
  EXPECT_NE(verify.find("HTTP/1.1 405"), std::string::npos) << verify;
  EXPECT_NE(verify.find("Allow: POST"), std::string::npos) << verify;
}

TEST_F(ServedListsTest, OnlyFilesInsideTheFolderAreServed) {
  std::ofstream(dir_ + "/secret") << "not public";
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
  for (const char* path : {"/../secret", "/lists/%2e%2e/%2e%2e/secret", "/lists/..%2F..%2Fsecret", "/.hidden",
                           "/lists", "/lists/", "/lists/7"}) {
    std::string r = Curl("--path-as-is '" + origin + path + "'");
    EXPECT_NE(r.find("HTTP/1.1 404"), std::string::npos) << path << ": " << r;
    EXPECT_EQ(r.find("not public"), std::string::npos) << path;
  }
}

// Each request reads its file: a list written while the server runs is served at once.
TEST_F(ServedListsTest, AListWrittenWhileServingIsServedWithoutAReload) {
  auto server = Serve();
  ASSERT_TRUE(server->Ready());
  EXPECT_NE(Curl(base_ + "/2").find("HTTP/1.1 404"), std::string::npos);
  fs::copy_file(out() + "/lists/1", out() + "/lists/2");
  std::string r = Curl(base_ + "/2");
  EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos) << r;
  EXPECT_NE(r.find(testing::ReadFile(out() + "/lists/1").substr(0, 40)), std::string::npos) << r;
}

TEST_F(ServedListsTest, ABaseUrlWhosePathAFileCannotMirrorIsRefused) {
  for (const char* base : {"http://127.0.0.1:1/a/../b", "http://127.0.0.1:1/lists?x=1", "ftp://h.example/lists",
                           "http://127.0.0.1:1/li%20sts", "http://127.0.0.1:1/.well-known/x"}) {
    std::string r = Shell(std::string(CREDSWEEP_BINARY) + " lists publish --db " + db() + " --key " + dir_ +
                          "/issuer.jwk --issuer " + kIssuer + " --base-url '" + base + "' --out " + dir_ +
                          "/other 2>&1; echo rc=$?");
    EXPECT_NE(r.find("--base-url must be an http(s) URL"), std::string::npos) << base << ": " << r;
    EXPECT_NE(r.find("rc=2"), std::string::npos) << base << ": " << r;
  }
}

}  // namespace
}  // namespace credsweep
