#include "s3/object_data.h"

#include <algorithm>
#include <deque>

namespace stratus::s3 {
namespace {

// Parts opened before the first byte goes out. Each open part holds a file descriptor (and,
// once read, one block buffer), so a 10,000-part object is not opened all at once.
constexpr size_t kPartsOpenedAhead = 16;

// A body source over bytes already in memory (an inline object).
class StringSource : public http::BodySource {
 public:
  explicit StringSource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min(buffer.size(), bytes_.size() - offset_);
    std::copy_n(bytes_.data() + offset_, n, buffer.data());
    offset_ += n;
    return n;
  }

 private:
  std::string bytes_;
  size_t offset_ = 0;
};

// A piece of one part file: bytes [offset, offset + length) of data `data_id`.
struct Segment {
  std::string data_id;
  uint64_t offset = 0;
  uint64_t length = 0;
  std::unique_ptr<http::BodySource> source;  // once opened
};

// Streams segments of several part files in order.
class PartsSource : public http::BodySource {
 public:
  PartsSource(storage::ObjectBackend& backend, std::deque<Segment> segments)
      : backend_(backend), segments_(std::move(segments)) {}

  Status OpenAhead() {
    size_t n = std::min(segments_.size(), kPartsOpenedAhead);
    for (size_t i = 0; i < n; ++i) RETURN_IF_ERROR(Open(segments_[i]));
    return Status::Ok();
  }

  Result<size_t> Read(std::span<char> buffer) override {
    while (!segments_.empty()) {
      Segment& segment = segments_.front();
      if (!segment.source) RETURN_IF_ERROR(Open(segment));
      ASSIGN_OR_RETURN(size_t n, segment.source->Read(buffer));
      if (n > 0) return n;
      segments_.pop_front();
    }
    return size_t{0};
  }

 private:
  Status Open(Segment& segment) {
    ASSIGN_OR_RETURN(segment.source,
                     backend_.Open(segment.data_id, segment.offset, segment.length));
    return Status::Ok();
  }

  storage::ObjectBackend& backend_;
  std::deque<Segment> segments_;
};

}  // namespace

Result<std::unique_ptr<http::BodySource>> OpenObjectData(storage::ObjectBackend& backend,
                                                         const meta::DataLocation& location,
                                                         uint64_t offset, uint64_t length) {
  if (location.is_inline()) {
    return std::make_unique<StringSource>(location.inline_data.substr(offset, length));
  }
  if (!location.is_multipart()) return backend.Open(location.data_id, offset, length);
  std::deque<Segment> segments;
  uint64_t part_start = 0;
  const uint64_t end = offset + length;
  for (const meta::PartRecord& part : location.parts) {
    uint64_t part_end = part_start + part.size;
    if (part_end > offset && part_start < end && part.size > 0) {
      uint64_t from = std::max(offset, part_start);
      uint64_t to = std::min(end, part_end);
      segments.push_back(Segment{part.data_id, from - part_start, to - from, nullptr});
    }
    part_start = part_end;
    if (part_start >= end) break;
  }
  auto source = std::make_unique<PartsSource>(backend, std::move(segments));
  RETURN_IF_ERROR(source->OpenAhead());
  return std::unique_ptr<http::BodySource>(std::move(source));
}

void RemoveData(storage::ObjectBackend& backend, const std::vector<std::string>& data_ids) {
  for (const std::string& id : data_ids) (void)backend.Remove(id);
}

void RemoveObjectData(storage::ObjectBackend& backend, const meta::DataLocation& location) {
  RemoveData(backend, location.DataIds());
}

}  // namespace stratus::s3
