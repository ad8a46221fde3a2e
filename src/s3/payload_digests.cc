#include "s3/payload_digests.h"

#include <memory>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/crypto.h"
#include "http/completion.h"

namespace stratus::s3 {
namespace {

constexpr size_t kChunkBytes = 1024 * 1024;
// Bodies at least this long are hashed on a helper thread while the handler's thread writes
// the previous chunk out and reads the next: MD5 alone costs about as much as the write (each
// about 30% of a 64 MiB PUT's server CPU), so one thread doing both halved the single-client
// upload rate. Below it, the hand-off costs more than it saves.
constexpr uint64_t kPipelinedBodyBytes = 4 * kChunkBytes;

// Threads that hash chunks for pipelined bodies, one per core. Each body has at most one chunk
// queued at a time, so the queue is bounded by the bodies in flight. Never destroyed: handlers
// may still be running when static destructors do.
class HashThreads {
 public:
  static HashThreads& Get() {
    static HashThreads* threads =
        new HashThreads(std::max(2u, std::thread::hardware_concurrency()));
    return *threads;
  }

  void Run(std::function<void()> job) {
    {
      std::lock_guard lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  explicit HashThreads(unsigned count) {
    for (unsigned i = 0; i < count; ++i) std::thread([this] { Loop(); }).detach();
  }

  void Loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
};

// The one chunk of a body being hashed on a HashThread; waits for it when it goes, so no
// return path frees a buffer the helper still reads.
class PendingHash {
 public:
  ~PendingHash() { Wait(); }
  void Start(ChecksumSet& checksums, std::span<const char> chunk) {
    done_ = http::Completion<bool>::Make();
    HashThreads::Get().Run([&checksums, chunk, done = done_] {
      checksums.Update(std::string_view(chunk.data(), chunk.size()));
      done->Set(true);
    });
  }
  void Wait() {
    if (done_) (void)done_->Wait();  // parks a handler's fiber: its thread serves others
    done_.reset();
  }

 private:
  std::shared_ptr<http::Completion<bool>> done_;
};

// ReceiveBody for a long body: chunk n is hashed on a helper while this thread writes it to
// the sink and then reads chunk n+1 into the other buffer.
Result<ReceivedBody> ReceivePipelined(http::ByteStream& payload, std::optional<uint64_t> length,
                                      ChecksumSet& checksums,
                                      const std::function<Status(std::span<const char>)>& sink) {
  std::array<std::unique_ptr<char[]>, 2> buffers = {
      std::make_unique_for_overwrite<char[]>(kChunkBytes),
      std::make_unique_for_overwrite<char[]>(kChunkBytes)};
  ReceivedBody body;
  PendingHash hashing;  // declared after the buffers: waited for before they are freed
  for (int cur = 0;; cur ^= 1) {
    ASSIGN_OR_RETURN(size_t n, payload.Read({buffers[cur].get(), kChunkBytes}));
    if (n == 0) break;
    if (body.size + n > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
    std::span<const char> chunk(buffers[cur].get(), n);
    hashing.Wait();  // the previous chunk: updates stay in order, its buffer is free next
    hashing.Start(checksums, chunk);
    RETURN_IF_ERROR(sink(chunk));
    body.size += n;
  }
  hashing.Wait();
  if (length && body.size != *length) return Error(ErrorCode::kIncompleteBody);
  body.checksums = checksums.Final();
  return body;
}

}  // namespace

Result<ExpectedDigests> ParseExpectedDigests(const http::Headers& headers) {
  ExpectedDigests expected;
  if (auto md5 = headers.Get("Content-MD5")) {
    auto raw = Base64Decode(*md5);
    if (!raw || raw->size() != 16) return Error(ErrorCode::kInvalidDigest);
    expected.content_md5 = std::move(*raw);
  }
  for (const auto& [name, value] : headers.fields()) {
    auto algorithm = ChecksumAlgorithmFromHeader(name);
    if (!algorithm) continue;
    if (expected.algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                   "allowed.");
    }
    ASSIGN_OR_RETURN(expected.checksum, DecodeChecksumValue(*algorithm, value));
    expected.algorithm = algorithm;
  }
  if (auto trailer = headers.Get("x-amz-trailer")) {
    auto algorithm = ChecksumAlgorithmFromHeader(*trailer);
    if (!algorithm)
      return Error(ErrorCode::kInvalidRequest,
                   "The value specified in the x-amz-trailer header is not supported");
    if (expected.algorithm && *expected.algorithm != *algorithm) {
      return Error(ErrorCode::kInvalidRequest,
                   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                   "allowed.");
    }
    expected.algorithm = algorithm;
    expected.trailer = http::ToLower(*trailer);
  }
  if (auto sdk = headers.Get("x-amz-sdk-checksum-algorithm"); sdk && !expected.algorithm) {
    expected.algorithm = ParseChecksumAlgorithm(*sdk);
    if (!expected.algorithm) {
      return Error(ErrorCode::kInvalidRequest, "Checksum algorithm provided is unsupported.");
    }
  }
  return expected;
}

// Compares what arrived with what the client promised. A mismatch stores nothing.
Status VerifyDigests(const ExpectedDigests& expected, const ChecksumValues& actual,
                     const http::Headers& trailers) {
  if (expected.content_md5 && !ConstantTimeEquals(*expected.content_md5, *actual.md5)) {
    return Status(ErrorCode::kBadDigest);
  }
  if (!expected.algorithm) return Status::Ok();
  std::optional<std::string> promised = expected.checksum;
  if (expected.trailer) {
    auto value = trailers.Get(*expected.trailer);
    if (!value) {
      return Status(ErrorCode::kInvalidRequest,
                    "The x-amz-trailer header was specified but the trailer is missing.");
    }
    ASSIGN_OR_RETURN(promised, DecodeChecksumValue(*expected.algorithm, *value));
  }
  if (promised && *promised != *actual.Get(*expected.algorithm)) {
    return Status(ErrorCode::kBadDigest,
                  fmt::format("The {} you specified did not match the calculated checksum.",
                              ChecksumAlgorithmName(*expected.algorithm)));
  }
  return Status::Ok();
}

Result<ReceivedBody> ReceiveBody(http::ByteStream& payload, std::optional<uint64_t> length,
                                 ChecksumSet& checksums,
                                 const std::function<Status(std::span<const char>)>& sink) {
  if (length && *length >= kPipelinedBodyBytes) {
    return ReceivePipelined(payload, length, checksums, sink);
  }
  const size_t buffer_size = std::clamp<uint64_t>(length.value_or(kChunkBytes), 1, kChunkBytes);
  auto buffer = std::make_unique_for_overwrite<char[]>(buffer_size);  // filled before it is read
  ReceivedBody body;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, payload.Read({buffer.get(), buffer_size}));
    if (n == 0) break;
    if (body.size + n > kMaxPutObjectBytes) return Error(ErrorCode::kEntityTooLarge);
    std::span<const char> chunk(buffer.get(), n);
    checksums.Update(std::string_view(chunk.data(), chunk.size()));
    RETURN_IF_ERROR(sink(chunk));
    body.size += n;
  }
  if (length && body.size != *length) return Error(ErrorCode::kIncompleteBody);
  body.checksums = checksums.Final();
  return body;
}

}  // namespace stratus::s3
