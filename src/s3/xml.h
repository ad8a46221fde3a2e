// Builds the small XML documents S3 answers with (elements written in order, text escaped),
// and loads request bodies for the parsers that read them with pugixml.
#pragma once

#include <pugixml.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace stratus::s3 {

// Parses a request body into `doc`; MalformedXML when it is not well-formed or carries a NUL,
// raw or as a character reference (&#0;, &#x00;): XML 1.0 cannot carry one, and pugixml would
// end the text there, so <Key>a&#x0;b</Key> would name the object "a". A document type
// declaration, or an entity reference other than the five predefined ones, is MalformedXML
// too: no DTD is ever read, so no entity is ever expanded.
Status LoadRequestXml(pugi::xml_document& doc, std::string_view body,
                      unsigned options = pugi::parse_default);

// Escapes &, <, >, ", ' and characters XML 1.0 cannot carry (written as &#xN;).
std::string XmlEscape(std::string_view text);

// S3's encoding-type=url for keys and prefixes in listings: percent-encodes all but unreserved
// characters and '/'.
std::string UrlEncode(std::string_view text);

class XmlWriter {
 public:
  // Starts a document with the S3 namespace on the root element.
  explicit XmlWriter(std::string_view root, bool with_namespace = true);
  XmlWriter& Open(std::string_view name);
  XmlWriter& Close();  // closes the innermost open element
  XmlWriter& Element(std::string_view name, std::string_view text);
  // Closes every element still open and returns the document.
  std::string Finish();

 private:
  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace stratus::s3
