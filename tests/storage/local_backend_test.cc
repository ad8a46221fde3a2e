#include "storage/local/local_backend.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace stratus::storage {
namespace {

namespace fs = std::filesystem;
constexpr size_t kMiB = 1 << 20;

std::string Pattern(size_t size, uint32_t seed = 1) {
  std::string out(size, '\0');
  uint32_t state = seed;
  for (char& c : out) {
    state = state * 1664525u + 1013904223u;
    c = static_cast<char>(state >> 24);
  }
  return out;
}

class LocalBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "storage_test.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    drive_ = root_ + "/drive";
    auto backend = OpenLocalBackend(drive_);
    ASSERT_TRUE(backend) << backend.error().ToString();
    backend_ = std::move(*backend);
  }
  void TearDown() override {
    backend_.reset();
    fs::remove_all(root_);
  }

  // Writes `data` in pieces of `chunk` bytes and commits.
  std::string Store(const std::string& data, size_t chunk = 256 * 1024) {
    auto writer = backend_->Create();
    EXPECT_TRUE(writer) << writer.error().ToString();
    for (size_t at = 0; at < data.size(); at += chunk) {
      EXPECT_TRUE(
          (*writer)->Write(std::span(data).subspan(at, std::min(chunk, data.size() - at))).ok());
    }
    auto id = (*writer)->Commit();
    EXPECT_TRUE(id) << id.error().ToString();
    return id ? *id : "";
  }

  Result<std::string> ReadRange(const std::string& id, uint64_t offset, uint64_t length,
                                size_t buffer_size = 64 * 1024) {
    ASSIGN_OR_RETURN(auto stream, backend_->Open(id, offset, length));
    std::string out;
    std::string buffer(buffer_size, '\0');
    while (true) {
      ASSIGN_OR_RETURN(size_t n, stream->Read(buffer));
      if (n == 0) break;
      out.append(buffer.data(), n);
    }
    return out;
  }

  std::string DataPath(const std::string& id) const {
    return drive_ + "/data/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id;
  }
  std::set<std::string> Files(const std::string& dir) const {
    std::set<std::string> names;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file()) names.insert(entry.path().filename().string());
    }
    return names;
  }

  std::string root_;
  std::string drive_;
  std::unique_ptr<ObjectBackend> backend_;
};

TEST_F(LocalBackendTest, FreshDriveLayout) {
  EXPECT_TRUE(fs::is_directory(drive_ + "/tmp"));
  EXPECT_TRUE(fs::is_directory(drive_ + "/data"));
  std::ifstream in(drive_ + "/format.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"format\": \"stratus-drive\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"deployment_id\""), std::string::npos);
}

TEST_F(LocalBackendTest, ReopenKeepsFormatAndData) {
  std::string data = Pattern(3 * kMiB + 5);
  std::string id = Store(data);
  std::ifstream in(drive_ + "/format.json");
  std::string before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  backend_.reset();
  auto reopened = OpenLocalBackend(drive_);
  ASSERT_TRUE(reopened);
  backend_ = std::move(*reopened);
  std::ifstream again(drive_ + "/format.json");
  std::string after((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  EXPECT_EQ(before, after);
  EXPECT_EQ(ReadRange(id, 0, data.size()), data);
}

TEST_F(LocalBackendTest, RoundTripSizes) {
  for (size_t size : {size_t{0}, size_t{1}, kMiB - 1, kMiB, kMiB + 1, 5 * kMiB + 7}) {
    std::string data = Pattern(size, static_cast<uint32_t>(size));
    std::string id = Store(data);
    ASSERT_EQ(id.size(), 32u);
    // docs/formats/data-files.md: 16-byte header, data, 4 bytes per block, 24-byte trailer.
    EXPECT_EQ(fs::file_size(DataPath(id)), 40 + size + 4 * ((size + kMiB - 1) / kMiB));
    auto read = ReadRange(id, 0, size);
    ASSERT_TRUE(read) << read.error().ToString();
    EXPECT_TRUE(*read == data) << "size " << size;
    // Odd write and read chunk sizes give the same bytes, and so do writes of whole blocks
    // and more (written from the caller's buffer) mixed with partial ones.
    for (size_t chunk : {size_t{333'333}, kMiB, 2 * kMiB + 5}) {
      std::string id2 = Store(data, chunk);
      auto read2 = ReadRange(id2, 0, size, 7777);
      ASSERT_TRUE(read2);
      EXPECT_TRUE(*read2 == data) << "size " << size << " chunk " << chunk;
      EXPECT_EQ(fs::file_size(DataPath(id2)), fs::file_size(DataPath(id)));
    }
  }
  EXPECT_TRUE(Files(drive_ + "/tmp").empty());
}

TEST_F(LocalBackendTest, RangeReadsAcrossBlocks) {
  std::string data = Pattern(3 * kMiB + 100);
  std::string id = Store(data);
  struct Range {
    uint64_t offset, length;
  };
  // Buffers smaller than a block go through the reader's block buffer; whole-block buffers
  // are filled and verified in place; larger ones mix both.
  for (size_t buffer : {size_t{64 * 1024}, kMiB, 2 * kMiB + 3}) {
    for (Range r : {Range{0, 0}, Range{0, 1}, Range{kMiB - 1, 2}, Range{kMiB - 10, kMiB + 20},
                    Range{kMiB, kMiB}, Range{2 * kMiB + 5, kMiB + 95}, Range{3 * kMiB + 99, 1},
                    Range{3 * kMiB + 100, 0}, Range{50, 3 * kMiB + 50}, Range{0, 3 * kMiB + 100},
                    Range{kMiB, 2 * kMiB + 100}}) {
      auto read = ReadRange(id, r.offset, r.length, buffer);
      ASSERT_TRUE(read) << r.offset << "+" << r.length << ": " << read.error().ToString();
      EXPECT_TRUE(*read == data.substr(r.offset, r.length))
          << r.offset << "+" << r.length << " buffer " << buffer;
    }
  }
  auto beyond = backend_->Open(id, 3 * kMiB, kMiB);
  ASSERT_FALSE(beyond);
  EXPECT_EQ(beyond.error().code(), ErrorCode::kInvalidRange);
}

TEST_F(LocalBackendTest, UncommittedWriterLeavesNothing) {
  {
    auto writer = backend_->Create();
    ASSERT_TRUE(writer);
    ASSERT_TRUE((*writer)->Write(Pattern(2 * kMiB + 3)).ok());
    EXPECT_EQ(Files(drive_ + "/tmp").size(), 1u);
  }
  EXPECT_TRUE(Files(drive_ + "/tmp").empty());
  EXPECT_TRUE(Files(drive_ + "/data").empty());
}

TEST_F(LocalBackendTest, FlippedByteIsDetected) {
  std::string data = Pattern(2 * kMiB + 10);
  std::string id = Store(data);
  {
    // Flip one byte in the second block (file offset = 16-byte header + data offset).
    std::fstream file(DataPath(id), std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(16 + kMiB + 4242);
    char c = 0;
    file.read(&c, 1);
    c = static_cast<char>(c ^ 0x01);
    file.seekp(16 + kMiB + 4242);
    file.write(&c, 1);
  }
  // The first block still reads; anything touching the second fails instead of returning data.
  EXPECT_EQ(ReadRange(id, 0, kMiB), data.substr(0, kMiB));
  auto bad = ReadRange(id, kMiB + 4000, 10);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kInternalError);
  EXPECT_NE(bad.error().message().find("bitrot"), std::string_view::npos);
  EXPECT_FALSE(ReadRange(id, 0, data.size()));
  // Also when the block is read straight into a whole-block buffer.
  EXPECT_EQ(ReadRange(id, 0, kMiB, kMiB), data.substr(0, kMiB));
  EXPECT_FALSE(ReadRange(id, 0, data.size(), kMiB));
  EXPECT_FALSE(ReadRange(id, kMiB, kMiB, kMiB));
}

TEST_F(LocalBackendTest, TruncatedFileIsRefused) {
  std::string id = Store(Pattern(kMiB + 5));
  fs::resize_file(DataPath(id), fs::file_size(DataPath(id)) - 3);
  auto open = backend_->Open(id, 0, 1);
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().code(), ErrorCode::kInternalError);
}

TEST_F(LocalBackendTest, RemoveAndReadersKeepReading) {
  std::string data = Pattern(3 * kMiB);
  std::string id = Store(data);
  auto stream = backend_->Open(id, 0, data.size());
  ASSERT_TRUE(stream);
  ASSERT_TRUE(backend_->Remove(id).ok());
  EXPECT_FALSE(fs::exists(DataPath(id)));
  EXPECT_TRUE(backend_->Remove(id).ok());  // already gone is fine
  std::string out(data.size(), '\0');
  size_t at = 0;
  while (true) {
    auto n = (*stream)->Read(std::span(out).subspan(at));
    ASSERT_TRUE(n);
    if (*n == 0) break;
    at += *n;
  }
  EXPECT_EQ(at, data.size());
  EXPECT_TRUE(out == data);
  auto gone = backend_->Open(id, 0, 1);
  ASSERT_FALSE(gone);
  // A data file that is gone is a storage failure, never the client's NoSuchKey.
  EXPECT_EQ(gone.error().code(), ErrorCode::kInternalError);
}

TEST_F(LocalBackendTest, RefusesBadIds) {
  EXPECT_FALSE(backend_->Open("../../format.json", 0, 1));
  EXPECT_FALSE(backend_->Remove("../format.json").ok());
  EXPECT_FALSE(backend_->Open("0123456789ABCDEF0123456789abcdef", 0, 1));
  EXPECT_TRUE(fs::exists(drive_ + "/format.json"));
}

TEST_F(LocalBackendTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 8;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        uint32_t seed = static_cast<uint32_t>(t * 100 + i);
        std::string data = Pattern(kMiB / 2 + seed * 1000, seed);
        std::string id = Store(data, 100'000);
        auto read = ReadRange(id, 0, data.size());
        EXPECT_TRUE(read && *read == data);
        ids[t].push_back(id);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : ids) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_TRUE(Files(drive_ + "/tmp").empty());
}

TEST_F(LocalBackendTest, SweepOrphans) {
  std::string keep = Store(Pattern(kMiB + 1));
  std::string orphan = Store(Pattern(10));
  auto unfinished = backend_->Create();
  ASSERT_TRUE(unfinished);
  ASSERT_TRUE((*unfinished)->Write(Pattern(100)).ok());
  // A crash leaves tmp files behind: simulate one the writer does not know about.
  std::ofstream(drive_ + "/tmp/leftover") << "partial";
  std::ofstream(drive_ + "/data/" + keep.substr(0, 2) + "/" + keep.substr(2, 2) + "/notes.txt")
      << "not ours";

  std::set<std::string> asked;
  Status status = backend_->SweepOrphans([&](std::string_view id) -> Result<bool> {
    asked.insert(std::string(id));
    return id == keep;
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(asked, (std::set<std::string>{keep, orphan}));
  EXPECT_TRUE(Files(drive_ + "/tmp").empty());
  EXPECT_TRUE(fs::exists(DataPath(keep)));
  EXPECT_FALSE(fs::exists(DataPath(orphan)));
  EXPECT_EQ(Files(drive_ + "/data"), (std::set<std::string>{keep, "notes.txt"}));
  EXPECT_EQ(ReadRange(keep, 0, kMiB + 1), Pattern(kMiB + 1));

  // An error from the lookup stops the sweep and is reported.
  Status failed = backend_->SweepOrphans(
      [](std::string_view) -> Result<bool> { return Error(Status::Internal("db down")); });
  EXPECT_FALSE(failed.ok());
  EXPECT_TRUE(fs::exists(DataPath(keep)));
}

}  // namespace
}  // namespace stratus::storage
