#include "s3/object_writer.h"

#include "s3/object_data.h"

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

Status StoreObject(const Services& services, ObjectWriter& writer, meta::ObjectRecord& record,
                   const meta::WritePrecondition& precondition) {
  ASSIGN_OR_RETURN(record.data, writer.Commit());
  auto replaced = services.meta.PutObject(record, precondition);
  if (!replaced) {
    RemoveObjectData(services.backend, record.data);
    return replaced.error();
  }
  if (*replaced) RemoveObjectData(services.backend, (*replaced)->data);
  return Status::Ok();
}

}  // namespace stratus::s3
