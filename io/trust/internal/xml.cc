// xmlsec1's OpenSSL header declares functions over RSA/DSA/EC_KEY, which the
// project-wide OPENSSL_NO_DEPRECATED hides; this file itself uses EVP only.
#undef OPENSSL_NO_DEPRECATED
#include "io/trust/internal/xml.h"

#include <libxml/parser.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

#include <cstring>
#include <mutex>

#include "engine/encoding.h"

namespace credsweep::io::trust::internal {

namespace {

constexpr size_t kMaxErrorText = 2000;
thread_local std::string t_errors;

void AppendError(std::string_view text) {
  if (t_errors.size() >= kMaxErrorText) return;
  if (!t_errors.empty()) t_errors += "; ";
  t_errors.append(text.substr(0, kMaxErrorText - std::min(kMaxErrorText, t_errors.size())));
}

void XmlSecErrorSink(const char* /*file*/, int /*line*/, const char* func, const char* object,
                     const char* subject, int /*reason*/, const char* msg) {
  std::string line = std::string(func ? func : "") + ": " + (msg ? msg : "");
  if (subject && *subject) line += std::string(" (") + subject + ")";
  (void)object;
  AppendError(line);
}

void LibxmlErrorSink(void*, const char*, ...) {}  // parse errors are read from the context

Status g_init_status;

}  // namespace

Status InitXmlLibraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    if (xmlSecInit() < 0) {
      g_init_status = Internal("xmlsec initialisation failed");
      return;
    }
    if (xmlSecCheckVersion() != 1) {
      g_init_status = Internal("xmlsec library version mismatch");
      return;
    }
    if (xmlSecCryptoAppInit(nullptr) < 0 || xmlSecCryptoInit() < 0) {
      g_init_status = Internal("xmlsec OpenSSL back end initialisation failed");
      return;
    }
    xmlSecErrorsSetCallback(XmlSecErrorSink);
  });
  xmlSetGenericErrorFunc(nullptr, LibxmlErrorSink);  // per thread in libxml2
  return g_init_status;
}

std::string ConsumeXmlErrors() { return std::exchange(t_errors, std::string()); }

Result<XmlDocPtr> ParseXml(std::string_view bytes, size_t max_bytes) {
  if (Status s = InitXmlLibraries(); !s.ok()) return s;
  if (bytes.size() > max_bytes) {
    return InvalidArgument("larger than the limit of " + std::to_string(max_bytes) + " bytes");
  }
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> ctxt(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!ctxt) return Internal("libxml2: out of memory");
  // No XML_PARSE_NOENT (entities stay unexpanded), no DTDLOAD/DTDATTR, no network.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
  XmlDocPtr doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), nullptr, nullptr,
                                  options));
  if (!doc || !ctxt->wellFormed) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string msg = e && e->message ? e->message : "unknown error";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Corruption("not well-formed XML: " + msg + (e ? " (line " + std::to_string(e->line) + ")" : ""));
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return Corruption("a document type declaration (DTD) is not allowed");
  }
  if (xmlDocGetRootElement(doc.get()) == nullptr) return Corruption("no root element");
  return doc;
}

bool Is(const xmlNode* n, const char* ns, const char* name) {
  return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), ns) == 0 &&
         std::strcmp(reinterpret_cast<const char*>(n->name), name) == 0;
}

const xmlNode* Child(const xmlNode* parent, const char* ns, const char* name) {
  for (const xmlNode* c = parent ? parent->children : nullptr; c; c = c->next) {
    if (Is(c, ns, name)) return c;
  }
  return nullptr;
}

std::vector<const xmlNode*> Children(const xmlNode* parent, const char* ns, const char* name) {
  std::vector<const xmlNode*> out;
  for (const xmlNode* c = parent ? parent->children : nullptr; c; c = c->next) {
    if (Is(c, ns, name)) out.push_back(c);
  }
  return out;
}

namespace {
void Collect(const xmlNode* n, const char* ns, const char* name, std::vector<const xmlNode*>* out) {
  for (const xmlNode* c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Is(c, ns, name)) out->push_back(c);
    Collect(c->children, ns, name, out);
  }
}
}  // namespace

std::vector<const xmlNode*> Descendants(const xmlNode* root, const char* ns, const char* name) {
  std::vector<const xmlNode*> out;
  if (root) {
    if (Is(root, ns, name)) out.push_back(root);
    Collect(root->children, ns, name, &out);
  }
  return out;
}

std::string Text(const xmlNode* n) {
  if (!n) return {};
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string Attribute(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = v ? reinterpret_cast<const char*>(v) : "";
  xmlFree(v);
  return s;
}

std::string EnglishName(const xmlNode* names) {
  std::string first;
  for (const xmlNode* n : Children(names, kTslNs, "Name")) {
    xmlChar* lang = xmlNodeGetLang(n);
    bool en = lang && std::strcmp(reinterpret_cast<const char*>(lang), "en") == 0;
    xmlFree(lang);
    if (en) return Text(n);
    if (first.empty()) first = Text(n);
  }
  return first;
}

std::optional<std::string> DecodeXmlBase64(std::string_view text) {
  std::string compact;
  compact.reserve(text.size());
  for (char c : text) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') compact += c;
  }
  return Base64Decode(compact);
}

}  // namespace credsweep::io::trust::internal
