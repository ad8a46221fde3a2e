#include "s3/object_writer.h"

namespace stratus::s3 {

Status ObjectWriter::Write(std::span<const char> bytes) {
  size_ += bytes.size();
  if (!file_ && buffer_.size() + bytes.size() <= inline_threshold_) {
    buffer_.append(bytes.data(), bytes.size());
    return Status::Ok();
  }
  if (!file_) {
    ASSIGN_OR_RETURN(file_, backend_.Create());
    RETURN_IF_ERROR(file_->Write(buffer_));
    buffer_.clear();
    buffer_.shrink_to_fit();
  }
  return file_->Write(bytes);
}

Result<meta::DataLocation> ObjectWriter::Commit() {
  meta::DataLocation location;
  if (!file_) {
    location.inline_data = std::move(buffer_);
    return location;
  }
  ASSIGN_OR_RETURN(location.data_id, file_->Commit());
  return location;
}

}  // namespace stratus::s3
