// CopyObject (PUT with x-amz-copy-source): a new object whose bytes are an existing object's,
// streamed from the source's data through the checksums into an ObjectWriter (never held
// whole), then committed as PutObject commits: data durable first, then one synced record.
#include <fmt/format.h>

#include "common/crypto.h"
#include "common/time.h"
#include "s3/conditional.h"
#include "s3/copy_source.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/object_metadata.h"
#include "s3/object_writer.h"
#include "s3/payload_digests.h"
#include "s3/storage_class.h"
#include "s3/tag_set.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

enum class Directive { kCopy, kReplace };

// x-amz-metadata-directive / x-amz-tagging-directive: COPY (the default) or REPLACE.
Result<Directive> ParseDirective(const http::Headers& headers, std::string_view name) {
  auto value = headers.Get(name);
  if (!value || *value == "COPY") return Directive::kCopy;
  if (*value == "REPLACE") return Directive::kReplace;
  return Error(ErrorCode::kInvalidArgument, fmt::format("Unknown {}.", name));
}

// The source's record and an open reader of all its bytes. An overwrite may remove the data
// between lookup and open; the lookup then starts again, so the copy is of one whole object.
struct OpenedSource {
  meta::ObjectRecord object;
  std::unique_ptr<http::BodySource> reader;
};

Result<OpenedSource> OpenSource(const Services& services, const http::Headers& headers,
                                const CopySource& from) {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    OpenedSource source;
    ASSIGN_OR_RETURN(source.object, RequireObject(services, from.bucket, from.key));
    RETURN_IF_ERROR(EvaluateCopySourceConditions(headers, StateOf(source.object)));
    if (source.object.size > kMaxPutObjectBytes) {
      return Error(ErrorCode::kInvalidRequest,
                   "The specified copy source is larger than the maximum allowable size for a "
                   "copy source: 5368709120");
    }
    auto reader = OpenObjectData(services.backend, source.object.data, 0, source.object.size);
    if (reader) {
      source.reader = *std::move(reader);
      return source;
    }
    ASSIGN_OR_RETURN(auto now, services.meta.GetObject(from.bucket, from.key));
    bool replaced = !now || now->data.DataIds() != source.object.data.DataIds();
    if (!replaced || attempt == kAttempts) return Error(reader.error());
  }
}

// The checksum the copy computes besides MD5 and CRC64NVME: the one asked for, else the
// source's own additional algorithm, so a copy answers what its source did.
Result<std::optional<ChecksumAlgorithm>> CopyAlgorithm(const http::Headers& headers,
                                                       const meta::ObjectRecord& source) {
  if (auto asked = headers.Get("x-amz-checksum-algorithm")) {
    auto algorithm = ParseChecksumAlgorithm(*asked);
    if (!algorithm) {
      return Error(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
    }
    return algorithm;
  }
  for (const auto& [name, value] : source.checksums) {
    auto algorithm = ParseChecksumAlgorithm(name);
    if (algorithm && *algorithm != ChecksumAlgorithm::kCrc64Nvme) return algorithm;
  }
  return std::nullopt;
}

}  // namespace

HandlerResult CopyObject(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  ASSIGN_OR_RETURN(CopySource from, ParseCopySource(*request.Header("x-amz-copy-source")));
  ASSIGN_OR_RETURN(Directive metadata_directive,
                   ParseDirective(request.headers, "x-amz-metadata-directive"));
  ASSIGN_OR_RETURN(Directive tagging_directive,
                   ParseDirective(request.headers, "x-amz-tagging-directive"));
  meta::ObjectRecord record;
  if (metadata_directive == Directive::kReplace) {
    ASSIGN_OR_RETURN(ObjectMetadata metadata, ParseObjectMetadata(request.headers));
    record.system_metadata = std::move(metadata.system);
    record.user_metadata = std::move(metadata.user);
  }
  if (tagging_directive == Directive::kReplace) {
    ASSIGN_OR_RETURN(record.tags, ParseTaggingHeader(request.Header("x-amz-tagging").value_or("")));
  }
  // S3 gives a copy STANDARD unless the request names a class; it does not inherit one.
  ASSIGN_OR_RETURN(record.storage_class, RequestedStorageClass(request.headers));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  // S3's conditional copy: If-Match / If-None-Match name the destination, checked first to
  // spare a doomed copy and again atomically with the commit.
  ASSIGN_OR_RETURN(auto destination, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
  RETURN_IF_ERROR(EvaluateWriteConditions(request.headers, StateOf(destination)));
  ASSIGN_OR_RETURN(OpenedSource source, OpenSource(services, request.headers, from));
  // A copy onto itself must change something S3 lets it change: here the metadata (REPLACE)
  // or the storage class.
  if (from.bucket == ctx.route.bucket && from.key == ctx.route.key &&
      metadata_directive == Directive::kCopy &&
      (!request.Header("x-amz-storage-class") ||
       record.storage_class == source.object.storage_class)) {
    return Error(ErrorCode::kInvalidRequest,
                 "This copy request is illegal because it is trying to copy an object to itself "
                 "without changing the object's metadata, storage class, website redirect "
                 "location or encryption attributes.");
  }
  if (metadata_directive == Directive::kCopy) {
    record.system_metadata = source.object.system_metadata;
    record.user_metadata = source.object.user_metadata;
  }
  if (tagging_directive == Directive::kCopy) record.tags = source.object.tags;
  ASSIGN_OR_RETURN(std::optional<ChecksumAlgorithm> algorithm,
                   CopyAlgorithm(request.headers, source.object));

  ChecksumSet checksums = ChecksumSet::ForPut(algorithm);
  ObjectWriter writer(services.backend, services.config.inline_threshold);
  ASSIGN_OR_RETURN(CopiedBytes copied,
                   CopyBytes(*source.reader, checksums,
                             [&](std::span<const char> chunk) { return writer.Write(chunk); }));
  source.reader.reset();
  if (copied.size != source.object.size) {
    return Error(ErrorCode::kInternalError, "copy source shorter than its record says");
  }

  record.bucket = ctx.route.bucket;
  record.key = ctx.route.key;
  record.size = copied.size;
  // The copy is one new object, even of a multipart source: its ETag is its bytes' MD5.
  record.etag = HexEncode(*copied.checksums.md5);
  record.modified_ns = NowUnixNanos();
  record.checksums = EncodeChecksums(copied.checksums);
  RETURN_IF_ERROR(StoreObject(services, writer, record, WriteConditionsAtCommit(request)));

  std::string answered(ChecksumAlgorithmName(algorithm.value_or(ChecksumAlgorithm::kCrc64Nvme)));
  XmlWriter xml("CopyObjectResult");
  xml.Element("ETag", "\"" + record.etag + "\"")
      .Element("LastModified", FormatIso8601(record.modified_ns))
      .Element("ChecksumType", record.checksum_type)
      .Element("Checksum" + answered, record.checksums[answered]);
  return XmlResponse(xml.Finish());
}

}  // namespace stratus::s3
