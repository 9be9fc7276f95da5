// libxml2 for trusted lists: a parse with network, DTDs and entities off and a
// size cap, RAII for the document, and child lookups by namespace and local name.
// Private to io/trust/.
#ifndef CREDSWEEP_IO_TRUST_INTERNAL_XML_H_
#define CREDSWEEP_IO_TRUST_INTERNAL_XML_H_

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/result.h"

namespace credsweep::io::trust::internal {

inline constexpr char kTslNs[] = "http://uri.etsi.org/02231/v2#";
inline constexpr char kTslAdditionalNs[] = "http://uri.etsi.org/02231/v2/additionaltypes#";
inline constexpr char kDsNs[] = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr char kXadesNs[] = "http://uri.etsi.org/01903/v1.3.2#";
inline constexpr char kEcQualNs[] = "http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#";

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

// Initialises libxml2 and xmlsec1 (OpenSSL back end) once per process; xmlsec's
// error output goes to a per-thread buffer that ConsumeXmlErrors() returns.
Status InitXmlLibraries();
std::string ConsumeXmlErrors();

// Parses `bytes` (at most `max_bytes`) with XML_PARSE_NONET and without DTD
// loading or entity substitution. A document that declares a DTD is refused.
// Errors: InvalidArgument (too large), Corruption (not well-formed, with libxml2's
// message and line).
Result<XmlDocPtr> ParseXml(std::string_view bytes, size_t max_bytes);

bool Is(const xmlNode* n, const char* ns, const char* name);
const xmlNode* Child(const xmlNode* parent, const char* ns, const char* name);
std::vector<const xmlNode*> Children(const xmlNode* parent, const char* ns, const char* name);
// Elements named (ns, name) anywhere under `root`, document order.
std::vector<const xmlNode*> Descendants(const xmlNode* root, const char* ns, const char* name);
// The text content, surrounding whitespace removed.
std::string Text(const xmlNode* n);
std::string Attribute(const xmlNode* n, const char* name);
// The English Name of a multilingual list (TSPName, ServiceName), else the first.
std::string EnglishName(const xmlNode* names);

// Base64 as XML carries it (line breaks and spaces allowed); nullopt if invalid.
std::optional<std::string> DecodeXmlBase64(std::string_view text);

}  // namespace credsweep::io::trust::internal

#endif  // CREDSWEEP_IO_TRUST_INTERNAL_XML_H_
