// Multipart uploads: CreateMultipartUpload, UploadPart, CompleteMultipartUpload and
// AbortMultipartUpload (UploadPartCopy: multipart_copy.cc; listings: multipart_list.cc).
//
// Each part is its own data file, committed like a PutObject's and referenced by its part
// record. Completion writes the object record listing the parts in one synced batch that also
// deletes the upload: no byte is copied, so completing 10 GiB costs what 10 MiB does, and a
// crash leaves the old object or the new one. Formats: docs/formats/metadata.md.
#include <fmt/format.h>

#include <cctype>
#include <map>

#include "common/crypto.h"
#include "s3/body.h"
#include "s3/conditional.h"
#include "s3/handler_util.h"
#include "s3/handlers.h"
#include "s3/multipart_checksum.h"
#include "s3/multipart_util.h"
#include "s3/multipart_xml.h"
#include "s3/names.h"
#include "s3/object_data.h"
#include "s3/object_metadata.h"
#include "s3/payload_digests.h"
#include "s3/storage_class.h"
#include "s3/tag_set.h"
#include "s3/xml.h"

namespace stratus::s3 {
namespace {

// 10,000 parts with every checksum stay well below this.
constexpr size_t kMaxCompleteBodyBytes = 8 * 1024 * 1024;

// Opaque, random, URL-safe; starts with the initiation time so uploads of a key list in
// initiation order (docs/formats/metadata.md).
std::string NewUploadId(int64_t now_ns) {
  std::string time(8, '\0');
  for (int i = 0; i < 8; ++i)
    time[i] = static_cast<char>(static_cast<uint64_t>(now_ns) >> (56 - 8 * i));
  return HexEncode(time) + HexEncode(RandomBytes(16));
}

std::string ToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// x-amz-checksum-algorithm and x-amz-checksum-type of CreateMultipartUpload.
Status ParseUploadChecksum(const http::Request& request, meta::UploadRecord& upload) {
  auto name = request.Header("x-amz-checksum-algorithm");
  auto type = request.Header("x-amz-checksum-type");
  if (!name) {
    if (type) {
      return Status(ErrorCode::kInvalidRequest,
                    "The x-amz-checksum-type header can only be used with the "
                    "x-amz-checksum-algorithm header.");
    }
    return Status::Ok();
  }
  auto algorithm = ParseChecksumAlgorithm(*name);
  if (!algorithm) {
    return Status(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
  }
  // S3's defaults: CRC64NVME is full-object only; the others default to composite.
  std::string checksum_type = type                                          ? ToUpper(*type)
                              : *algorithm == ChecksumAlgorithm::kCrc64Nvme ? "FULL_OBJECT"
                                                                            : "COMPOSITE";
  if (!SupportsChecksumType(*algorithm, checksum_type)) {
    return Status(ErrorCode::kInvalidRequest,
                  fmt::format("The {} checksum type cannot be used with the {} checksum algorithm.",
                              checksum_type, http::ToLower(ChecksumAlgorithmName(*algorithm))));
  }
  upload.checksum_algorithm = ChecksumAlgorithmName(*algorithm);
  upload.checksum_type = std::move(checksum_type);
  return Status::Ok();
}

Result<std::string> RawChecksum(const meta::PartRecord& part, ChecksumAlgorithm algorithm) {
  auto it = part.checksums.find(std::string(ChecksumAlgorithmName(algorithm)));
  std::optional<std::string> raw;
  if (it != part.checksums.end()) raw = Base64Decode(it->second);
  if (!raw) {
    return Error(ErrorCode::kInvalidPart, fmt::format("Part {} has no {} checksum.", part.number,
                                                      ChecksumAlgorithmName(algorithm)));
  }
  return *std::move(raw);
}

// The object's checksum as S3 computes it for the upload's algorithm and type; CRC64NVME of
// the full object when the upload named none.
Status AddObjectChecksum(const meta::UploadRecord& upload,
                         const std::vector<meta::PartRecord>& parts, meta::ObjectRecord& object) {
  std::optional<ChecksumAlgorithm> algorithm = UploadAlgorithm(upload);
  bool full_object = !algorithm || upload.checksum_type == "FULL_OBJECT";
  ChecksumAlgorithm chosen = algorithm.value_or(ChecksumAlgorithm::kCrc64Nvme);
  std::string value;
  if (full_object) {
    std::vector<PartCrc> crcs;
    for (const meta::PartRecord& part : parts) {
      ASSIGN_OR_RETURN(std::string raw, RawChecksum(part, chosen));
      crcs.push_back({std::move(raw), part.size});
    }
    value = FullObjectChecksum(chosen, crcs);
  } else {
    std::vector<std::string> raws;
    for (const meta::PartRecord& part : parts) {
      ASSIGN_OR_RETURN(std::string raw, RawChecksum(part, chosen));
      raws.push_back(std::move(raw));
    }
    value = CompositeChecksum(chosen, raws);
  }
  object.checksums[std::string(ChecksumAlgorithmName(chosen))] = std::move(value);
  object.checksum_type = full_object ? "FULL_OBJECT" : "COMPOSITE";
  return Status::Ok();
}

// Checks the client's part list against the stored parts (under the key's lock) and builds
// the object record that lists the chosen parts.
Result<meta::ObjectRecord> BuildObject(const meta::UploadRecord& upload,
                                       const std::vector<meta::PartRecord>& stored,
                                       const std::vector<CompletePart>& requested) {
  std::map<uint32_t, const meta::PartRecord*> by_number;
  for (const meta::PartRecord& part : stored) by_number[part.number] = &part;
  meta::ObjectRecord object;
  std::vector<std::string> etags;
  for (size_t i = 0; i < requested.size(); ++i) {
    const CompletePart& want = requested[i];
    auto it = by_number.find(want.number);
    if (it == by_number.end() || it->second->etag != want.etag) {
      return Error(ErrorCode::kInvalidPart);
    }
    const meta::PartRecord& part = *it->second;
    for (const auto& [algorithm, value] : want.checksums) {
      auto have = part.checksums.find(std::string(ChecksumAlgorithmName(algorithm)));
      if (have == part.checksums.end() || have->second != value) {
        return Error(ErrorCode::kInvalidPart);
      }
    }
    if (i + 1 < requested.size() && part.size < kMinPartBytes) {
      return Error(ErrorCode::kEntityTooSmall);
    }
    object.size += part.size;
    etags.push_back(part.etag);
    object.data.parts.push_back(part);
  }
  ASSIGN_OR_RETURN(object.etag, MultipartEtag(etags));
  RETURN_IF_ERROR(AddObjectChecksum(upload, object.data.parts, object));
  object.modified_ns = NowUnixNanos();
  object.system_metadata = upload.system_metadata;
  object.user_metadata = upload.user_metadata;
  object.storage_class = upload.storage_class;
  if (!upload.tagging.empty()) {
    ASSIGN_OR_RETURN(object.tags, ParseTaggingHeader(upload.tagging));
  }
  return object;
}

std::string ObjectUrl(const http::Request& request, const Route& route) {
  std::string host(request.Header("Host").value_or("localhost"));
  std::string scheme = request.secure ? "https" : "http";
  return route.host_style ? fmt::format("{}://{}/{}", scheme, host, route.key)
                          : fmt::format("{}://{}/{}/{}", scheme, host, route.bucket, route.key);
}

}  // namespace

HandlerResult CreateMultipartUpload(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  ASSIGN_OR_RETURN(ObjectMetadata metadata, ParseObjectMetadata(request.headers));
  meta::UploadRecord upload;
  RETURN_IF_ERROR(ParseUploadChecksum(request, upload));
  RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
  upload.bucket = ctx.route.bucket;
  upload.key = ctx.route.key;
  upload.initiated_ns = NowUnixNanos();
  upload.upload_id = NewUploadId(upload.initiated_ns);
  upload.owner = ctx.verified.access_key;
  upload.system_metadata = std::move(metadata.system);
  upload.user_metadata = std::move(metadata.user);
  if (auto tagging = request.Header("x-amz-tagging")) {
    RETURN_IF_ERROR(ParseTaggingHeader(*tagging));  // refused now, not at completion
    upload.tagging = *tagging;
  }
  ASSIGN_OR_RETURN(upload.storage_class, RequestedStorageClass(request.headers));
  RETURN_IF_ERROR(services.meta.CreateUpload(upload));

  XmlWriter xml("InitiateMultipartUploadResult");
  xml.Element("Bucket", upload.bucket)
      .Element("Key", upload.key)
      .Element("UploadId", upload.upload_id);
  http::Response response = XmlResponse(xml.Finish());
  if (!upload.checksum_algorithm.empty()) {
    response.headers.Set("x-amz-checksum-algorithm", upload.checksum_algorithm);
    response.headers.Set("x-amz-checksum-type", upload.checksum_type);
  }
  return response;
}

HandlerResult UploadPart(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  ASSIGN_OR_RETURN(uint32_t number, ParsePartNumber(request));
  if (!request.Header("Content-Length") && !request.Header("Transfer-Encoding")) {
    return Error(ErrorCode::kMissingContentLength);
  }
  std::optional<uint64_t> length = ctx.verified.payload->length();
  if (length && *length > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
  ASSIGN_OR_RETURN(ExpectedDigests expected, ParseExpectedDigests(request.headers));
  ASSIGN_OR_RETURN(meta::UploadRecord upload, RequireUpload(services, ctx));

  ChecksumSet checksums = ChecksumSet::ForPut(expected.algorithm);
  std::optional<ChecksumAlgorithm> upload_algorithm = UploadAlgorithm(upload);
  if (upload_algorithm) checksums.Add(*upload_algorithm);
  // Parts always get a data file, however small: the object record lists files.
  ASSIGN_OR_RETURN(std::unique_ptr<storage::DataWriter> writer, services.backend.Create());
  ASSIGN_OR_RETURN(ReceivedBody body,
                   ReceiveBody(*ctx.verified.payload, length, checksums,
                               [&](std::span<const char> chunk) { return writer->Write(chunk); }));
  RETURN_IF_ERROR(VerifyDigests(expected, body.checksums, ctx.verified.payload->trailers()));

  meta::PartRecord part{.number = number,
                        .size = body.size,
                        .etag = HexEncode(*body.checksums.md5),
                        .modified_ns = NowUnixNanos(),
                        .checksums = EncodeChecksums(body.checksums),
                        .data_id = {}};
  ASSIGN_OR_RETURN(part.data_id, writer->Commit());
  RETURN_IF_ERROR(CommitPart(services, upload, part));

  http::Response response;
  response.headers.Set("ETag", "\"" + part.etag + "\"");
  if (auto answered = expected.algorithm ? expected.algorithm : upload_algorithm) {
    response.headers.Set(std::string(ChecksumHeaderName(*answered)),
                         part.checksums[std::string(ChecksumAlgorithmName(*answered))]);
  }
  return response;
}

namespace {

// The part list a completion named, as the completion record keeps it (SHA-256 over each
// part's number, ETag and checksums by algorithm name; docs/formats/metadata.md).
std::string PartsDigest(const std::vector<CompletePart>& parts) {
  std::string text;
  for (const CompletePart& part : parts) {
    text += std::to_string(part.number) + "\n" + part.etag + "\n";
    std::map<std::string_view, std::string_view> by_name;
    for (const auto& [algorithm, value] : part.checksums) {
      by_name[ChecksumAlgorithmName(algorithm)] = value;
    }
    for (const auto& [name, value] : by_name) {
      text.append(name).append("=").append(value).append("\n");
    }
    text += "\n";
  }
  return Sha256(text);
}

http::Response CompleteResponse(const http::Request& request, const Route& route,
                                std::string_view etag,
                                const std::map<std::string, std::string>& checksums,
                                std::string_view checksum_type) {
  XmlWriter xml("CompleteMultipartUploadResult");
  xml.Element("Location", ObjectUrl(request, route))
      .Element("Bucket", route.bucket)
      .Element("Key", route.key)
      .Element("ETag", "\"" + std::string(etag) + "\"");
  for (const auto& [name, value] : checksums) xml.Element("Checksum" + name, value);
  xml.Element("ChecksumType", checksum_type);
  return XmlResponse(xml.Finish());
}

// A completion retried after it succeeded (its answer lost): the first answer again, when the
// same part list completed this upload; NoSuchUpload otherwise, as S3 answers.
HandlerResult AnswerRetriedCompletion(const Services& services, RequestContext& ctx,
                                      const std::string& parts_digest) {
  std::string_view upload_id = ctx.request.Query("uploadId").value_or("");
  ASSIGN_OR_RETURN(auto completion,
                   services.meta.GetCompletion(ctx.route.bucket, ctx.route.key, upload_id));
  if (!completion || !ConstantTimeEquals(completion->parts_digest, parts_digest)) {
    RETURN_IF_ERROR(RequireBucket(services, ctx.route.bucket));
    return Error(ErrorCode::kNoSuchUpload);
  }
  return CompleteResponse(ctx.request, ctx.route, completion->etag, completion->checksums,
                          completion->checksum_type);
}

}  // namespace

HandlerResult CompleteMultipartUpload(const Services& services, RequestContext& ctx) {
  const http::Request& request = ctx.request;
  RETURN_IF_ERROR(ValidateObjectKey(ctx.route.key));
  auto upload = RequireUpload(services, ctx);
  if (!upload && upload.error().code() != ErrorCode::kNoSuchUpload) return Error(upload.error());
  ASSIGN_OR_RETURN(SmallBody body, ReadSmallBody(*ctx.verified.payload, kMaxCompleteBodyBytes,
                                                 services.parsed_bodies));
  ASSIGN_OR_RETURN(std::vector<CompletePart> requested, ParseCompleteMultipartUpload(body.text));
  const std::string parts_digest = PartsDigest(requested);
  if (!upload) return AnswerRetriedCompletion(services, ctx, parts_digest);
  // Refuse a doomed conditional completion early; the check that counts runs under the lock.
  ASSIGN_OR_RETURN(auto current, services.meta.GetObject(ctx.route.bucket, ctx.route.key));
  RETURN_IF_ERROR(EvaluateWriteConditions(request.headers, StateOf(current)));

  bool remember = services.config.complete_retry_window.count() > 0;
  auto done = services.meta.CompleteUpload(
      upload->bucket, upload->key, upload->upload_id,
      [&](const meta::UploadRecord& now, const std::vector<meta::PartRecord>& stored) {
        return BuildObject(now, stored, requested);
      },
      WriteConditionsAtCommit(request), remember ? parts_digest : std::string());
  // A retry that raced the first completion finds the upload gone under the lock.
  if (!done && done.error().code() == ErrorCode::kNoSuchUpload) {
    return AnswerRetriedCompletion(services, ctx, parts_digest);
  }
  if (!done) return Error(done.error());
  // The batch is durable: what it unreferenced goes now (a crash first leaves orphans the
  // start-up sweep removes).
  if (done->replaced) RemoveObjectData(services.backend, done->replaced->data);
  for (const meta::PartRecord& part : done->unused_parts) {
    (void)services.backend.Remove(part.data_id);
  }
  return CompleteResponse(request, ctx.route, done->object.etag, done->object.checksums,
                          done->object.checksum_type);
}

HandlerResult AbortMultipartUpload(const Services& services, RequestContext& ctx) {
  std::string_view upload_id = ctx.request.Query("uploadId").value_or("");
  ASSIGN_OR_RETURN(auto parts,
                   services.meta.AbortUpload(ctx.route.bucket, ctx.route.key, upload_id));
  if (!parts) return Error(ErrorCode::kNoSuchUpload);
  for (const meta::PartRecord& part : *parts) (void)services.backend.Remove(part.data_id);
  http::Response response;
  response.status = 204;
  return response;
}

}  // namespace stratus::s3
