#include "engine/data_url.h"

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

#include "engine/encoding.h"

namespace credsweep {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

}  // namespace

std::string DataUrlMediaType(std::string_view url) {
  const size_t comma = url.find(',');
  if (Lower(url.substr(0, 5)) != "data:" || comma == std::string_view::npos) return {};
  const std::string_view meta = url.substr(5, comma - 5);
  return Lower(meta.substr(0, meta.find(';')));
}

Result<DataUrl> ParseDataUrl(std::string_view url) {
  if (Lower(url.substr(0, 5)) != "data:") return InvalidArgument("not a data: URL");
  const size_t comma = url.find(',');
  if (comma == std::string_view::npos) return InvalidArgument("the data: URL has no ',' before its data");
  const std::string_view meta = url.substr(5, comma - 5);
  DataUrl out;
  out.media_type = DataUrlMediaType(url);
  bool base64 = false;
  for (size_t at = meta.find(';'); at != std::string_view::npos; at = meta.find(';', at + 1)) {
    base64 |= Lower(meta.substr(at + 1, meta.find(';', at + 1) - at - 1)) == "base64";
  }
  auto pct = boost::urls::make_pct_string_view(url.substr(comma + 1));
  if (!pct) return InvalidArgument("the data: URL has a broken percent-escape");
  const boost::urls::decode_view decoded = **pct;
  out.data.assign(decoded.begin(), decoded.end());
  if (base64) {
    auto raw = Base64Decode(out.data);
    if (!raw) return InvalidArgument("the data: URL says base64 but its data is not");
    out.data = std::move(*raw);
  }
  if (out.data.empty()) return InvalidArgument("the data: URL holds nothing");
  return out;
}

}  // namespace credsweep
