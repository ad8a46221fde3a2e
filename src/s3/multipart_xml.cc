#include "s3/multipart_xml.h"

#include <charconv>
#include <pugixml.hpp>

#include "s3/xml.h"

namespace stratus::s3 {
namespace {

constexpr uint32_t kMaxPartNumber = 10000;

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// ETags are sent quoted ("abc"), sometimes as &quot;abc&quot;, sometimes bare.
std::string Unquote(std::string_view etag) {
  etag = Trim(etag);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Result<CompletePart> ParsePart(const pugi::xml_node& node) {
  CompletePart part;
  pugi::xml_node number = node.child("PartNumber");
  pugi::xml_node etag = node.child("ETag");
  if (!number || !etag) return Error(ErrorCode::kMalformedXML);
  std::string_view text = Trim(number.child_value());
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return Error(ErrorCode::kMalformedXML);
  }
  if (value < 1 || value > kMaxPartNumber) {
    return Error(ErrorCode::kInvalidArgument,
                 "Part number must be an integer between 1 and 10000, inclusive");
  }
  part.number = static_cast<uint32_t>(value);
  part.etag = Unquote(etag.child_value());
  for (ChecksumAlgorithm algorithm : kAllChecksumAlgorithms) {
    std::string name = "Checksum" + std::string(ChecksumAlgorithmName(algorithm));
    if (pugi::xml_node checksum = node.child(name.c_str())) {
      part.checksums[algorithm] = std::string(Trim(checksum.child_value()));
    }
  }
  return part;
}

}  // namespace

Result<std::vector<CompletePart>> ParseCompleteMultipartUpload(std::string_view body) {
  pugi::xml_document doc;
  RETURN_IF_ERROR(LoadRequestXml(doc, body));
  pugi::xml_node root = doc.child("CompleteMultipartUpload");
  if (!root) return Error(ErrorCode::kMalformedXML);
  std::vector<CompletePart> parts;
  for (pugi::xml_node node : root.children("Part")) {
    ASSIGN_OR_RETURN(CompletePart part, ParsePart(node));
    if (!parts.empty() && part.number <= parts.back().number) {
      return Error(ErrorCode::kInvalidPartOrder);
    }
    parts.push_back(std::move(part));
  }
  if (parts.empty()) return Error(ErrorCode::kMalformedXML);
  return parts;
}

}  // namespace stratus::s3
