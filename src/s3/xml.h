// Builds the small XML documents S3 answers with. Elements are written in order; text is
// escaped. Request bodies are parsed with pugixml where they are read (see the handlers).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stratus::s3 {

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
