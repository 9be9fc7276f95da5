// The verification page `serve --http` serves at `/` (docs/verification-page.md):
// static HTML, CSS and script compiled into the binary from io/http/ui/, so the
// page works offline and needs no installed files.
#ifndef CREDSWEEP_IO_HTTP_UI_ASSETS_H_
#define CREDSWEEP_IO_HTTP_UI_ASSETS_H_

#include <string_view>

namespace credsweep::io::http {

struct UiAsset {
  std::string_view path;          // as requested: "/", "/ui/app.js", ...
  std::string_view content_type;  // with charset for text
  std::string_view body;
};

// The asset served at `path` (without query), or null.
const UiAsset* FindUiAsset(std::string_view path);

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_UI_ASSETS_H_
