// Status lists served from the folder `lists publish --out DIR` writes (`serve
// --lists DIR`): a request for PATH answers the file DIR/PATH, which is where the
// publisher puts the list whose URL has that path (docs/status-lists.md,
// "Publishing"). So the same folder, served by credsweep or by any static web
// server, answers the URLs inside the credentials.
#ifndef CREDSWEEP_IO_HTTP_PUBLISHED_LISTS_H_
#define CREDSWEEP_IO_HTTP_PUBLISHED_LISTS_H_

#include <string>
#include <string_view>

#include "engine/result.h"

namespace credsweep::io::http {

struct PublishedList {
  std::string body;
  std::string content_type;  // application/json for .json files and JSON text; application/statuslist+jwt
                             // for an IETF Status List Token; else application/vc+jwt
  std::string etag;          // quoted, a hash of the body
  long long max_age = 300;   // seconds: the list's own ttl when readable, else 5 minutes
};

// True when `path` (a request path, without query) may name a file in the folder:
// segments of letters, digits, '-', '_', '.' and '~', none empty or starting with
// '.' (no "..", no hidden files), nothing percent-encoded, at most 1024 bytes.
bool IsListPath(std::string_view path);

// The list file for `path` under `dir`; NotFound when the path is not a list path
// or names no regular file; IoError when it cannot be read or exceeds 64 MiB.
Result<PublishedList> ReadPublishedList(const std::string& dir, std::string_view path);

}  // namespace credsweep::io::http

#endif  // CREDSWEEP_IO_HTTP_PUBLISHED_LISTS_H_
