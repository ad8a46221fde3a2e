// Fuzzes ParseDeleteRequest, DeleteObjects' request body (s3/delete_request.h).
#include "fuzz_check.h"
#include "s3/delete_request.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

bool Equal(const DeleteRequest& a, const DeleteRequest& b) {
  if (a.quiet != b.quiet || a.objects.size() != b.objects.size()) return false;
  for (size_t i = 0; i < a.objects.size(); ++i) {
    if (a.objects[i].key != b.objects[i].key ||
        a.objects[i].version_id != b.objects[i].version_id) {
      return false;
    }
  }
  return true;
}

void FuzzDeleteRequest(std::string_view body) {
  Result<DeleteRequest> request = ParseDeleteRequest(body);
  FUZZ_CHECK(fuzz::SameResult(request, ParseDeleteRequest(body), Equal));
  if (!request) {
    FUZZ_CHECK(fuzz::FailsWithOneOf(request, {ErrorCode::kMalformedXML}));
    return;
  }
  FUZZ_CHECK(!request->objects.empty());
  FUZZ_CHECK(request->objects.size() <= kMaxDeleteObjects);
  // A key is the whole text the client sent: never cut at a NUL, and written back as XML it
  // reads back the same (the round trip a client's own XML writer makes).
  std::string again = "<Delete>";
  for (const DeleteEntry& entry : request->objects) {
    FUZZ_CHECK(entry.key.find('\0') == std::string::npos);
    again += "<Object><Key>" + XmlEscape(entry.key) + "</Key></Object>";
  }
  again += "</Delete>";
  Result<DeleteRequest> reparsed = ParseDeleteRequest(again);
  FUZZ_CHECK(reparsed && reparsed->objects.size() == request->objects.size());
  for (size_t i = 0; i < request->objects.size(); ++i) {
    FUZZ_CHECK(reparsed->objects[i].key == request->objects[i].key);
  }
}

}  // namespace
}  // namespace stratus::s3

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratus::s3::FuzzDeleteRequest(stratus::fuzz::AsText(data, size));
  return 0;
}
