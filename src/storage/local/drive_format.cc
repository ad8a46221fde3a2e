#include "storage/local/drive_format.h"

#include <sys/stat.h>
#include <nlohmann/json.hpp>

#include "storage/local/data_file.h"
#include "storage/local/drive_layout.h"
#include "storage/local/posix_file.h"

namespace stratus::storage {
namespace {

constexpr std::string_view kFormatName = "stratus-drive";
constexpr std::string_view kFormatFile = "format.json";

Status Bad(std::string_view what) {
  return Status::Internal("format.json: " + std::string(what) + "; refusing to use this drive");
}

Result<std::string> HexId(const nlohmann::json& json, const char* name) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_string()) return Error(Bad(std::string(name) + " missing"));
  std::string id = it->get<std::string>();
  if (!IsValidDataId(id)) return Error(Bad(std::string(name) + " is not 32 hex digits"));
  return id;
}

Result<int> SmallInt(const nlohmann::json& json, const char* name) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_number_unsigned() || it->get<uint64_t>() > 1000) {
    return Error(Bad(std::string(name) + " missing or invalid"));
  }
  return static_cast<int>(it->get<uint64_t>());
}

}  // namespace

std::string EncodeDriveFormat(const DriveFormat& format) {
  nlohmann::ordered_json json;
  json["format"] = kFormatName;
  json["version"] = kDriveFormatVersion;
  json["deployment_id"] = format.deployment_id;
  json["drive_id"] = format.drive_id;
  json["data_file_version"] = format.data_file_version;
  return json.dump(2) + "\n";
}

Result<DriveFormat> ParseDriveFormat(std::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return Error(Bad("not a JSON object"));
  auto format = json.find("format");
  if (format == json.end() || !format->is_string() || *format != kFormatName) {
    return Error(Bad("not a stratus drive"));
  }
  ASSIGN_OR_RETURN(int version, SmallInt(json, "version"));
  if (version != kDriveFormatVersion) {
    return Error(Bad("unknown version " + std::to_string(version)));
  }
  DriveFormat out;
  ASSIGN_OR_RETURN(out.deployment_id, HexId(json, "deployment_id"));
  ASSIGN_OR_RETURN(out.drive_id, HexId(json, "drive_id"));
  ASSIGN_OR_RETURN(out.data_file_version, SmallInt(json, "data_file_version"));
  if (out.data_file_version != kDataFileVersion) {
    return Error(Bad("unknown data_file_version " + std::to_string(out.data_file_version)));
  }
  return out;
}

Result<DriveFormat> LoadOrCreateDriveFormat(const std::string& drive_dir) {
  std::string path = drive_dir + "/" + std::string(kFormatFile);
  ASSIGN_OR_RETURN(std::optional<std::string> text, ReadSmallFile(path));
  if (text) return ParseDriveFormat(*text);

  // No format file: only a drive without data may be formatted, never one that lost it.
  struct stat st {};
  if (::stat((drive_dir + "/data").c_str(), &st) == 0) {
    return Error(Bad("missing, but " + drive_dir + "/data exists"));
  }
  DriveFormat format{
      .deployment_id = NewDataId(), .drive_id = NewDataId(), .data_file_version = kDataFileVersion};
  RETURN_IF_ERROR(
      WriteFileAtomically(drive_dir, std::string(kFormatFile), EncodeDriveFormat(format)));
  return format;
}

}  // namespace stratus::storage
