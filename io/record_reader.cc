#include "io/record_reader.h"

#include <simdjson.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "storage/read_ahead.h"

namespace credsweep::io {

namespace fs = std::filesystem;

namespace {

enum class FileKind { kLines, kDocument };

struct Input {
  std::string path;  // "-" for stdin
  FileKind kind;
  bool in_folder = false;  // found in an input folder (not named): may be a credsweep output
};

std::string StripGz(const std::string& path) {
  return path.ends_with(".gz") ? path.substr(0, path.size() - 3) : path;
}

std::optional<FileKind> KindOf(const std::string& path, bool strict) {
  std::string ext = fs::path(StripGz(path)).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
  if (ext == ".json" || ext == ".jsonld") return FileKind::kDocument;
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".jwt" || ext == ".jws" || ext == ".sd-jwt" || ext == ".txt") {
    return FileKind::kLines;
  }
  if (strict) return std::nullopt;
  return FileKind::kLines;
}

// The name of a text encoding other than UTF-8 that `head` (a file's first bytes)
// is in, from its byte order mark or, without one, from NUL bytes (which never
// occur in JSON or a compact JWS); empty for UTF-8 and plain ASCII.
std::string ForeignEncoding(std::string_view head) {
  if (head.starts_with(std::string_view("\xFF\xFE\0\0", 4))) return "UTF-32LE";
  if (head.starts_with(std::string_view("\0\0\xFE\xFF", 4))) return "UTF-32BE";
  if (head.starts_with("\xFF\xFE")) return "UTF-16LE";
  if (head.starts_with("\xFE\xFF")) return "UTF-16BE";
  // Without a mark: ASCII in UTF-16 has a NUL in every pair ("{\0\"\0" little-endian,
  // "\0{\0\"" big-endian); a stray NUL in a garbage record is not that pattern.
  if (head.size() < 4) return "";
  auto nul = [&](size_t i) { return head[i] == '\0'; };
  if (!nul(0) && nul(1) && !nul(2) && nul(3)) return "UTF-16LE";
  if (nul(0) && !nul(1) && nul(2) && !nul(3)) return "UTF-16BE";
  return "";
}

std::string EncodingMessage(const std::string& encoding) {
  return "the input is " + encoding + ", not UTF-8; convert it first (iconv -f " + encoding + " -t UTF-8)";
}

std::string_view TrimmedLine(std::string_view line) {
  size_t b = line.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return line.substr(b, line.find_last_not_of(" \t\r") - b + 1);
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// What credsweep output `head` (a file's first bytes) begins like, or empty: the
// result formats and the summary start with fixed text (docs/output-format.md).
std::string_view OwnOutputKind(std::string_view head) {
  if (head.starts_with(kUtf8Bom)) head.remove_prefix(kUtf8Bom.size());
  if (head.starts_with(R"({"source":")")) return "credsweep results (jsonl)";
  if (head.starts_with(R"({"@context":"http://data.europa.eu/snb/model/context/edc-ap","source":")")) {
    return "credsweep results (elm)";
  }
  if (head.starts_with(R"({"records":)")) return "a credsweep summary";
  if (head.starts_with(R"({"sweep_run":)")) return "a credsweep sweep summary";
  if (head.starts_with(R"({"changes":[)")) return "a credsweep sweep diff";
  if (head.starts_with("SOURCE  ")) return "credsweep results (text)";
  return {};
}

}  // namespace

bool ReadAsCredentialsInFolder(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || !KindOf(path, true)) return false;
  std::ifstream in(path, std::ios::binary);
  char head[256];
  in.read(head, sizeof head);
  // An empty file holds no credential to lose.
  return in.gcount() > 0 && OwnOutputKind(std::string_view(head, static_cast<size_t>(in.gcount()))).empty();
}

namespace {

// The first --exclude glob matching a file or folder of an input folder (`rel`: its
// path below the input folder; `name`: its own name), or null. A glob ending in
// '/' matches folders only.
const std::string* ExcludedBy(const std::vector<std::string>& globs, const std::string& rel, const std::string& name,
                              bool is_dir) {
  for (const auto& g : globs) {
    std::string_view pattern = g;
    if (pattern.ends_with('/')) {  // "drafts/": folders only
      if (!is_dir) continue;
      pattern.remove_suffix(1);
    }
    const std::string p(pattern);
    const bool by_path = p.find('/') != std::string::npos;
    if (fnmatch(p.c_str(), by_path ? rel.c_str() : name.c_str(), by_path ? FNM_PATHNAME : 0) == 0) return &g;
  }
  return nullptr;
}

}  // namespace

struct RecordReader::Impl {
  ReaderOptions opts;
  std::vector<Input> inputs;
  size_t next_input = 0;

  // An input file on disk: a plain one is read() straight into buf (no extra
  // copy), a gzip one by zlib (gz), which then owns the descriptor. Either is
  // asked for ahead of the reading (ReadAhead).
  struct DiskFile {
    int fd = -1;
    bool measured = false;  // size known (fstat)
    uint64_t size = 0;      // of a regular file
    uint64_t asked = 0;     // bytes from the start asked to be read ahead
    unsigned reads = 0;     // read calls that returned bytes
  };
  gzFile gz = nullptr;  // .gz files and stdin (which may be gzip or plain)
  DiskFile file;        // the input being read, unless it is stdin
  const Input* current = nullptr;
  size_t line_no = 0;
  std::vector<char> buf = std::vector<char>(1 << 18);
  size_t pos = 0, len = 0;
  bool eof = false;
  size_t last_line_size = 256;  // reserve hint: consecutive records have similar sizes
  std::deque<Record> pending;
  std::vector<SkippedFile> skipped;

  // An input file is asked for ahead of the reading (ReadAhead), and so is the
  // start of the next input when it is one: read on a cold page cache (a
  // nightly sweep's corpus), the disk then works while the records before are
  // verified, instead of each readahead window being waited for in turn.
  static constexpr uint64_t kReadAheadBytes = uint64_t{64} << 20;
  DiskFile next_file;       // inputs[next_input] opened early, or fd -1
  bool next_tried = false;  // inputs[next_input] was considered for opening early
  uint64_t read_bytes = 0;  // of the current file (gzip: compressed bytes)

  // Called after each read that returned bytes. A file read whole by its first
  // read (most single-credential files: buf holds 256 KiB) costs no system call
  // more than before; reading ahead starts with a file's second read.
  void AfterRead() {
    if (++file.reads > 1) ReadAhead();
  }
  uint64_t ahead_allowance = std::min(kReadAheadBytes, storage::ReadAheadAllowance());

  ~Impl() {
    Close();
    if (next_file.fd >= 0) close(next_file.fd);
  }

  void Close() {
    if (gz) {
      gzclose(gz);  // and its descriptor
    } else if (file.fd >= 0) {
      close(file.fd);
    }
    gz = nullptr;
    file = DiskFile();
    current = nullptr;
  }

  // Bytes read into buf, 0 at the end, -1 on error (with *why set).
  long ReadSome(std::string* why) {
    if (gz) {
      int n = gzread(gz, buf.data(), static_cast<unsigned>(buf.size()));
      if (n < 0) {
        int code = 0;
        const char* msg = gzerror(gz, &code);
        *why = msg ? msg : "unknown error";
      }
      if (n > 0 && file.fd >= 0) {
        const z_off_t at = gzoffset(gz);  // of the compressed bytes read so far
        if (at > 0) read_bytes = static_cast<uint64_t>(at);
        AfterRead();
      }
      return n;
    }
    while (true) {
      ssize_t n = read(file.fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) *why = strerror(errno);
      if (n > 0) {
        read_bytes += static_cast<uint64_t>(n);
        AfterRead();
      }
      return n;
    }
  }

  static DiskFile Measured(int fd) {
    DiskFile f;
    f.fd = fd;
    Measure(&f);
    return f;
  }
  static void Measure(DiskFile* f) {
    struct stat st;
    if (f->fd >= 0 && fstat(f->fd, &st) == 0 && S_ISREG(st.st_mode)) f->size = static_cast<uint64_t>(st.st_size);
    f->measured = true;
  }

  // `in` opened ahead of its turn when it is a regular file (not stdin); else
  // nothing (fd -1). Never anything else: opening a named pipe would wait for
  // its writer, which may be waiting for this reader to drain the input before.
  static DiskFile OpenedEarly(const Input& in) {
    struct stat st;
    if (in.path == "-" || stat(in.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      return DiskFile();
    }
    DiskFile f = Measured(open(in.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (f.fd >= 0 && f.size == 0 && (fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode))) {
      close(f.fd);  // replaced by something else since the stat
      return DiskFile();
    }
    if (f.fd >= 0) fcntl(f.fd, F_SETFL, fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
    return f;
  }

  // Keeps up to ahead_allowance bytes past the reading asked for, in bursts: when
  // less than half of it is. Past the end of the current file, the start of the
  // next input is asked for, once, and the file kept open for OpenNext.
  void ReadAhead() {
    DiskFile& cur = file;
    if (ahead_allowance == 0 || cur.fd < 0) return;
    if (!cur.measured) Measure(&cur);
    const uint64_t until = read_bytes + ahead_allowance;
    const uint64_t half = read_bytes + ahead_allowance / 2;
    const bool into_next = half > cur.size && !next_tried;
    if (cur.asked >= std::min(half, cur.size) && !into_next) return;
    if (cur.asked < std::min(until, cur.size)) {
      cur.asked += storage::AdviseWillNeed(cur.fd, cur.asked, std::min(until, cur.size) - cur.asked);
    }
    if (!into_next || next_input >= inputs.size()) return;
    next_tried = true;
    next_file = OpenedEarly(inputs[next_input]);
    if (next_file.fd < 0) return;  // OpenNext opens it in its turn, and says why that fails
    next_file.asked = storage::AdviseWillNeed(next_file.fd, 0, std::min(until - cur.size, next_file.size));
  }

  bool Fill(Record* err) {
    if (eof) return false;
    std::string why;
    long n = ReadSome(&why);
    if (n < 0) {
      err->source = current->path + ":" + std::to_string(line_no + 1);
      err->error.code = "io_error";
      err->error.message = "read failed: " + why;
      eof = true;
      return false;
    }
    if (n == 0 && gz) {
      // zlib reports a stream cut short (a copy interrupted, a disk full) as a
      // normal end; the partial last line must not pass as a record.
      int code = Z_OK;
      gzerror(gz, &code);
      if (code == Z_BUF_ERROR) {
        err->source = current->path + ":" + std::to_string(line_no + 1);
        err->error.code = "io_error";
        err->error.message = "the gzip stream is cut short (unexpected end of file) after line " +
                             std::to_string(line_no) + "; the rest of the file is missing";
        eof = true;
        return false;
      }
    }
    pos = 0;
    len = static_cast<size_t>(n);
    if (n == 0) eof = true;
    return n > 0;
  }

  // A file of an input folder that turns out to be a credsweep output.
  bool SkipAsOwnOutput(std::string_view head) {
    if (!current->in_folder) return false;
    std::string_view kind = OwnOutputKind(head);
    if (kind.empty()) return false;
    skipped.push_back({current->path, std::string(kind)});
    return true;
  }

  // Reads one line (without the newline) into *line. *too_long when it exceeded
  // the record limit (the excess is discarded). False at end of file.
  bool ReadLine(std::string* line, bool* too_long, Record* err) {
    line->clear();
    line->reserve(last_line_size);
    *too_long = false;
    bool any = false;
    while (true) {
      if (pos == len && !Fill(err)) return any && err->error.code.empty();
      any = true;
      const char* start = buf.data() + pos;
      const char* nl = static_cast<const char*>(memchr(start, '\n', len - pos));
      size_t take = nl ? static_cast<size_t>(nl - start) : len - pos;
      if (!*too_long) {
        if (line->size() + take > opts.max_record_bytes) {
          *too_long = true;
          line->clear();
          line->shrink_to_fit();
        } else {
          line->append(start, take);
        }
      }
      pos += take;
      if (nl) {
        ++pos;
        // The next line's guess, with room to spare past its end: a line that
        // fits with 64 bytes to spare is parsed in place (engine/internal/envelope.h).
        last_line_size = std::min<size_t>(line->size() + line->size() / 16 + 128, 1 << 20);
        return true;
      }
    }
  }

  bool OpenNext(Record* err) {
    while (next_input < inputs.size()) {
      current = &inputs[next_input++];
      // Opened already (regular files only) when the reading before came near its end.
      const DiskFile early = std::exchange(next_file, DiskFile());
      next_tried = false;
      line_no = 0;
      pos = len = 0;
      eof = false;
      if (current->path == "-") {
        gz = gzdopen(dup(STDIN_FILENO), "rb");
      } else {
        if (early.fd >= 0) {
          file = early;
        } else {
          file = DiskFile();
          file.fd = open(current->path.c_str(), O_RDONLY | O_CLOEXEC);
        }
        if (file.fd >= 0 && current->path.ends_with(".gz") && !(gz = gzdopen(file.fd, "rb"))) {
          close(file.fd);
          file = DiskFile();
          errno = ENOMEM;  // gzdopen fails for want of memory only
        }
        read_bytes = 0;
      }
      if (!gz && file.fd < 0) {
        err->source = current->path;
        err->error.code = "io_error";
        err->error.message = "cannot open: " + std::string(strerror(errno));
        current = nullptr;
        return false;
      }
      if (gz) gzbuffer(gz, 1 << 17);
      if (current->kind == FileKind::kDocument) {
        LoadDocument();
        Close();
        if (!pending.empty()) return true;
        continue;
      }
      if (current->in_folder) {  // the first block stays in buf for ReadLine
        if (!Fill(err) && !err->error.code.empty()) {
          Close();
          return false;
        }
        if (SkipAsOwnOutput(std::string_view(buf.data(), len))) {
          Close();
          continue;
        }
      }
      return true;
    }
    return false;
  }

  Status AddFolder(const std::string& dir);

  void LoadDocument() {
    std::string text;
    Record err;
    bool too_big = false;
    while (Fill(&err)) {
      if (text.size() + len > opts.max_document_bytes) {
        too_big = true;
        break;
      }
      text.append(buf.data(), len);
    }
    Record r;
    r.source = current->path;
    if (!err.error.code.empty()) {
      pending.push_back(std::move(err));
      return;
    }
    if (too_big) {
      r.error.code = "record_too_large";
      r.error.message = "document larger than " + std::to_string(opts.max_document_bytes) + " bytes";
      pending.push_back(std::move(r));
      return;
    }
    if (std::string enc = ForeignEncoding(text); !enc.empty()) {
      r.error.code = "unsupported_encoding";
      r.error.message = EncodingMessage(enc);
      pending.push_back(std::move(r));
      return;
    }
    if (SkipAsOwnOutput(text)) return;
    if (text.starts_with(kUtf8Bom)) text.erase(0, kUtf8Bom.size());
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      r.error.code = "empty_record";
      r.error.message = text.empty() ? "the file is empty" : "the file holds only whitespace";
      pending.push_back(std::move(r));
      return;
    }
    simdjson::dom::parser parser;
    simdjson::dom::array arr;
    if (!text.empty() && text.find_first_not_of(" \t\r\n") != std::string::npos &&
        text[text.find_first_not_of(" \t\r\n")] == '[' &&
        parser.parse(text).get_array().get(arr) == simdjson::SUCCESS) {
      size_t k = 0;
      for (simdjson::dom::element e : arr) {
        Record item;
        item.source = current->path + "#" + std::to_string(++k);
        item.data = simdjson::minify(e);
        pending.push_back(std::move(item));
      }
      return;
    }
    r.data = std::move(text);
    pending.push_back(std::move(r));
  }
};

Status RecordReader::Impl::AddFolder(const std::string& dir) {
  std::error_code ec;
  // This run's outputs, spelt as the walk below will spell them.
  std::set<std::string> outputs;
  const fs::path root = fs::weakly_canonical(dir, ec);
  for (const auto& o : opts.own_outputs) {
    fs::path canonical = fs::weakly_canonical(o, ec);
    fs::path rel = canonical.lexically_relative(root);
    if (!ec && !rel.empty() && *rel.begin() != "..") outputs.insert((fs::path(dir) / rel).string());
  }
  std::vector<Input> found;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec), end;
  if (ec) return IoError("cannot read directory " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return IoError("cannot read directory " + dir + ": " + ec.message());
    const std::string p = it->path().string();
    const bool is_dir = it->is_directory(ec);
    if (!is_dir && !it->is_regular_file(ec)) continue;
    const std::string rel = it->path().lexically_relative(dir).string();
    if (const std::string* glob = ExcludedBy(opts.exclude, rel, it->path().filename().string(), is_dir)) {
      skipped.push_back({is_dir ? p + "/" : p, "excluded by --exclude '" + *glob + "'"});
      if (is_dir) it.disable_recursion_pending();
      continue;
    }
    if (is_dir) continue;
    if (outputs.count(p)) {
      skipped.push_back({p, "an output of this run"});
      continue;
    }
    if (auto kind = KindOf(p, true)) {
      found.push_back({p, *kind, true});
    } else {
      std::string ext = it->path().extension().string();
      skipped.push_back({p, "not a credential file (" + (ext.empty() ? std::string("no extension") : ext) + ")"});
    }
  }
  if (ec) return IoError("cannot read directory " + dir + ": " + ec.message());
  std::sort(found.begin(), found.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
  inputs.insert(inputs.end(), found.begin(), found.end());
  return Status::Ok();
}

RecordReader::RecordReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecordReader::~RecordReader() = default;

Result<std::unique_ptr<RecordReader>> RecordReader::Open(const std::vector<std::string>& inputs,
                                                         const ReaderOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->opts = options;
  for (const auto& in : inputs) {
    if (in == "-") {
      impl->inputs.push_back({"-", FileKind::kLines});
      continue;
    }
    std::error_code ec;
    auto st = fs::status(in, ec);
    if (ec || !fs::exists(st)) return NotFound("no such file or directory: " + in);
    if (fs::is_directory(st)) {
      if (Status s = impl->AddFolder(in); !s.ok()) return s;
      continue;
    }
    if (access(in.c_str(), R_OK) != 0) return IoError("cannot read " + in + ": " + strerror(errno));
    impl->inputs.push_back({in, *KindOf(in, false)});
  }
  return std::unique_ptr<RecordReader>(new RecordReader(std::move(impl)));
}

const std::vector<SkippedFile>& RecordReader::skipped() const { return impl_->skipped; }

bool RecordReader::Next(Record* out) {
  Impl& s = *impl_;
  *out = Record();
  while (true) {
    if (!s.pending.empty()) {
      *out = std::move(s.pending.front());
      s.pending.pop_front();
      return true;
    }
    if (!s.current) {
      Record err;
      if (!s.OpenNext(&err)) {
        if (!err.error.code.empty()) {
          *out = std::move(err);
          return true;
        }
        if (s.next_input >= s.inputs.size()) return false;
        continue;
      }
      if (!s.pending.empty()) continue;
    }
    bool too_long = false;
    Record err;
    std::string line;
    if (!s.ReadLine(&line, &too_long, &err)) {
      s.Close();
      if (!err.error.code.empty()) {
        *out = std::move(err);
        return true;
      }
      continue;
    }
    ++s.line_no;
    if (s.line_no == 1 && !too_long) {
      if (std::string enc = ForeignEncoding(line); !enc.empty()) {
        // Every further "line" would be noise: one result for the whole input.
        out->source = s.current->path;
        out->error.code = "unsupported_encoding";
        out->error.message = EncodingMessage(enc);
        s.Close();
        return true;
      }
      if (line.starts_with(kUtf8Bom)) line.erase(0, kUtf8Bom.size());
    }
    if (!too_long && line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // path:line, built in place (this runs for every line of a corpus).
    char number[24];
    const auto [end, ec] = std::to_chars(number, number + sizeof number, s.line_no);
    out->source.reserve(s.current->path.size() + 1 + static_cast<size_t>(end - number));
    out->source.assign(s.current->path).push_back(':');
    out->source.append(number, end);
    if (too_long) {
      out->error.code = "record_too_large";
      out->error.message = "line longer than " + std::to_string(s.opts.max_record_bytes) + " bytes";
    } else if (std::string_view t = TrimmedLine(line); t == "{" || t == "[") {
      // A pretty-printed document split into lines: say so on its first line
      // instead of a parser message about a truncated object.
      out->error.code = "malformed_json";
      out->error.message = "a line with only '" + std::string(t) + "': this looks like a pretty-printed JSON document, but " +
                           (s.current->path == "-" ? std::string("stdin") : s.current->path) +
                           " is read as JSON Lines (one record per line); give the document as a .json file "
                           "or compact it (jq -c .)";
    } else {
      out->data = std::move(line);
    }
    return true;
  }
}

}  // namespace credsweep::io
