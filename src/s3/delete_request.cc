#include "s3/delete_request.h"

#include <pugixml.hpp>

#include "s3/xml.h"

namespace stratus::s3 {

Result<DeleteRequest> ParseDeleteRequest(std::string_view body) {
  pugi::xml_document doc;
  // parse_ws_pcdata: whitespace is text like any other, " " is a key (pugixml drops
  // whitespace-only text by default).
  RETURN_IF_ERROR(LoadRequestXml(doc, body, pugi::parse_default | pugi::parse_ws_pcdata));
  pugi::xml_node root = doc.child("Delete");
  if (!root) return Error(ErrorCode::kMalformedXML);
  DeleteRequest request;
  if (pugi::xml_node quiet = root.child("Quiet")) {
    std::string_view value = quiet.child_value();
    if (value != "true" && value != "false") return Error(ErrorCode::kMalformedXML);
    request.quiet = value == "true";
  }
  for (pugi::xml_node object : root.children("Object")) {
    if (request.objects.size() == kMaxDeleteObjects) return Error(ErrorCode::kMalformedXML);
    pugi::xml_node key = object.child("Key");
    if (!key) return Error(ErrorCode::kMalformedXML);
    DeleteEntry entry{.key = key.child_value(), .version_id = std::nullopt};
    if (pugi::xml_node version = object.child("VersionId")) {
      entry.version_id = version.child_value();
    }
    request.objects.push_back(std::move(entry));
  }
  if (request.objects.empty()) return Error(ErrorCode::kMalformedXML);
  return request;
}

}  // namespace stratus::s3
