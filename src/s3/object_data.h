// An object's bytes wherever they live (meta::DataLocation): inside its record, in one data
// file, or in the data files of its parts (a completed multipart upload), and how they go
// away. Reading a multipart object streams one part file after the other; completing an
// upload never copies bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/request.h"
#include "meta/records.h"
#include "storage/object_backend.h"

namespace stratus::s3 {

// Bytes [offset, offset + length) of the object, which must lie within it. Part files are
// opened up to a few at once ahead of time (so a replaced object is noticed at open, before
// any byte is sent), the rest as the stream reaches them.
Result<std::unique_ptr<http::BodySource>> OpenObjectData(storage::ObjectBackend& backend,
                                                         const meta::DataLocation& location,
                                                         uint64_t offset, uint64_t length);

// Removes the data files of a location no record references any more. Failures are ignored:
// a file left behind is an orphan that the start-up sweep removes.
void RemoveObjectData(storage::ObjectBackend& backend, const meta::DataLocation& location);
void RemoveData(storage::ObjectBackend& backend, const std::vector<std::string>& data_ids);

}  // namespace stratus::s3
