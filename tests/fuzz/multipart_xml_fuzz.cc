// Fuzzes ParseCompleteMultipartUpload, the CompleteMultipartUpload body (s3/multipart_xml.h).
#include "fuzz_check.h"
#include "s3/multipart_xml.h"

namespace stratus::s3 {
namespace {

bool Equal(const std::vector<CompletePart>& a, const std::vector<CompletePart>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].number != b[i].number || a[i].etag != b[i].etag || a[i].checksums != b[i].checksums) {
      return false;
    }
  }
  return true;
}

bool Trimmed(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  return text.empty() || (kSpace.find(text.front()) == std::string_view::npos &&
                          kSpace.find(text.back()) == std::string_view::npos);
}

void FuzzCompleteMultipartUpload(std::string_view body) {
  Result<std::vector<CompletePart>> parts = ParseCompleteMultipartUpload(body);
  FUZZ_CHECK(fuzz::SameResult(parts, ParseCompleteMultipartUpload(body), Equal));
  if (!parts) {
    FUZZ_CHECK(fuzz::FailsWithOneOf(parts, {ErrorCode::kMalformedXML, ErrorCode::kInvalidArgument,
                                            ErrorCode::kInvalidPartOrder}));
    return;
  }
  FUZZ_CHECK(!parts->empty());
  uint32_t previous = 0;
  for (const CompletePart& part : *parts) {
    // S3's part numbers are 1..10000, and the list must ascend strictly.
    FUZZ_CHECK(part.number > previous && part.number <= 10000);
    previous = part.number;
    for (const auto& [algorithm, value] : part.checksums) FUZZ_CHECK(Trimmed(value));
  }
}

}  // namespace
}  // namespace stratus::s3

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratus::s3::FuzzCompleteMultipartUpload(stratus::fuzz::AsText(data, size));
  return 0;
}
