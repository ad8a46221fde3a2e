// UploadPartCopy: a part whose bytes come from an existing object (a byte range of it, with
// x-amz-copy-source-range), streamed from the source's data into the part's own data file.
#include <charconv>
#include <tuple>

#include "common/crypto.h"
#include "common/time.h"
#include "s3/conditional.h"
#include "s3/copy_source.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/multipart_util.h"
#include "s3/object_data.h"
#include "s3/payload_digests.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

// x-amz-copy-source-range: "bytes=first-last", both inside the source.
Result<std::pair<uint64_t, uint64_t>> ParseCopyRange(std::string_view value, uint64_t size) {
  auto invalid = [] {
    return Error(ErrorCode::kInvalidArgument,
                 "The x-amz-copy-source-range value must be of the form bytes=first-last where "
                 "first and last are the zero-based offsets of the first and last bytes to copy");
  };
  if (!value.starts_with("bytes=")) return invalid();
  value.remove_prefix(6);
  size_t dash = value.find('-');
  if (dash == std::string_view::npos) return invalid();
  uint64_t first = 0;
  uint64_t last = 0;
  std::string_view a = value.substr(0, dash);
  std::string_view b = value.substr(dash + 1);
  auto ra = std::from_chars(a.data(), a.data() + a.size(), first);
  auto rb = std::from_chars(b.data(), b.data() + b.size(), last);
  if (a.empty() || b.empty() || ra.ec != std::errc() || ra.ptr != a.data() + a.size() ||
      rb.ec != std::errc() || rb.ptr != b.data() + b.size() || first > last) {
    return invalid();
  }
  if (last >= size) {
    return Error(ErrorCode::kInvalidRange, "The specified copy source range is not satisfiable");
  }
  return std::pair{first, last - first + 1};
}

}  // namespace

HandlerResult UploadPartCopy(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  ASSIGN_OR_RETURN(uint32_t number, ParsePartNumber(request));
  ASSIGN_OR_RETURN(CopySource from, ParseCopySource(*request.Header("x-amz-copy-source")));
  ASSIGN_OR_RETURN(meta::UploadRecord upload, RequireUpload(services, ctx));

  ASSIGN_OR_RETURN(std::optional<meta::ObjectRecord> source,
                   services.meta.GetObject(from.bucket, from.key));
  if (!source) {
    RETURN_IF_ERROR(RequireBucket(services, from.bucket));
    return Error(ErrorCode::kNoSuchKey);
  }
  RETURN_IF_ERROR(EvaluateCopySourceConditions(
      request.headers, ObjectState{.etag = source->etag,
                                   .modified_unix_seconds = source->modified_ns / 1'000'000'000}));
  uint64_t offset = 0;
  uint64_t length = source->size;
  if (auto range = request.Header("x-amz-copy-source-range")) {
    ASSIGN_OR_RETURN(auto picked, ParseCopyRange(*range, source->size));
    std::tie(offset, length) = picked;
  }
  if (length > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);

  // The source may be overwritten while we read; its data then stays readable for an open
  // reader, and an open that lost the race is an error the client may retry.
  ASSIGN_OR_RETURN(std::unique_ptr<http::BodySource> reader,
                   OpenObjectData(services.backend, source->data, offset, length));
  ChecksumSet checksums = ChecksumSet::ForPut(UploadAlgorithm(upload));
  ASSIGN_OR_RETURN(std::unique_ptr<storage::DataWriter> writer, services.backend.Create());
  ASSIGN_OR_RETURN(CopiedBytes copied,
                   CopyBytes(*reader, checksums,
                             [&](std::span<const char> chunk) { return writer->Write(chunk); }));
  const ChecksumValues& values = copied.checksums;

  meta::PartRecord part{.number = number,
                        .size = length,
                        .etag = HexEncode(*values.md5),
                        .modified_ns = NowUnixNanos(),
                        .checksums = EncodeChecksums(values),
                        .data_id = {}};
  ASSIGN_OR_RETURN(part.data_id, writer->Commit());
  RETURN_IF_ERROR(CommitPart(services, upload, part));

  XmlWriter xml("CopyPartResult");
  xml.Element("LastModified", FormatIso8601(part.modified_ns))
      .Element("ETag", "\"" + part.etag + "\"");
  if (auto algorithm = UploadAlgorithm(upload)) {
    std::string name(ChecksumAlgorithmName(*algorithm));
    xml.Element("Checksum" + name, part.checksums[name]);
  }
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
