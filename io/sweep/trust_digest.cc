#include "io/sweep/trust_digest.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/encoding.h"
#include "engine/sha256.h"

namespace credsweep::io {
namespace {

namespace fs = std::filesystem;

// Appends `s` with backslashes, tabs and newlines escaped.
void Escaped(std::string_view s, std::string* text) {
  for (char c : s) {
    if (c == '\\') *text += "\\\\";
    else if (c == '\t') *text += "\\t";
    else if (c == '\n') *text += "\\n";
    else text->push_back(c);
  }
}

// One line "NAME\tVALUE\n" of the digest's input; tabs and newlines in names
// (a --jwks binding's issuer) and values are escaped so that no two inputs give
// the same text.
void Line(std::string_view name, std::string_view value, std::string* text) {
  Escaped(name, text);
  text->push_back('\t');
  Escaped(value, text);
  text->push_back('\n');
}

Result<std::string> FileDigest(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return IoError("cannot read " + p.string() + " for the trust digest");
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + p.string() + " for the trust digest");
  return HexEncode(Sha256(data.str()));
}

}  // namespace

Result<TrustDigests> TrustDigest(
    const std::vector<std::pair<std::string, std::string>>& paths,
    const std::vector<std::pair<std::string, std::string>>& settings,
    const std::function<bool(const std::string& option, const std::string& relative)>& skip) {
  std::string whole = "credsweep-trust-digest 1\n";
  for (const auto& [name, value] : settings) Line(name, value, &whole);
  std::string kept = whole;
  auto both = [&](std::string_view name, std::string_view value) {
    Line(name, value, &whole);
    Line(name, value, &kept);
  };
  for (const auto& [option, path] : paths) {
    if (path.empty()) continue;
    // The path as given goes into the whole digest only: the kept readings depend
    // on what the files hold, not on how they were named (relative or absolute,
    // moved).
    Line(option, path, &whole);
    Line(option, "", &kept);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> files;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) files.push_back(it->path());
      }
      if (ec) return IoError("cannot read " + path + " for the trust digest: " + ec.message());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        const std::string relative = f.lexically_relative(path).string();
        auto d = FileDigest(f);
        if (!d.ok()) return d.status();
        Line("file", relative + "\t" + *d, &whole);
        if (!skip || !skip(option, relative)) Line("file", relative + "\t" + *d, &kept);
      }
    } else {
      auto d = FileDigest(path);
      if (!d.ok()) return d.status();
      both("sha256", *d);
    }
  }
  return TrustDigests{HexEncode(Sha256(whole)), HexEncode(Sha256(kept))};
}

}  // namespace credsweep::io
