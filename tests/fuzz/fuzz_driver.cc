// A small coverage-guided fuzzer for the targets in this folder, for the toolchain we have: g++
// (clang 14 cannot compile our C++23, so no libFuzzer; no AFL). Each target defines
// LLVMFuzzerTestOneInput, the libFuzzer interface, and links this file as its main.
//
//   <name>_fuzz [--runs N] [--seconds S] [--seed N] [--max-len N] [--timeout S]
//               [--corpus DIR] [--dict FILE] [--save DIR] [FILE...]
//
// It runs the seeds of tests/fuzz/corpus/<name>/, then --runs mutated inputs (or for --seconds),
// each made from a corpus input by stacked mutations: bit and byte flips, inserted, erased and
// duplicated ranges, tokens of tests/fuzz/dict/<name>.dict (libFuzzer's dictionary format),
// splices of two inputs, truncation. The same --seed gives the same runs. With FILE arguments
// it runs just those (a crasher, to reproduce it).
//
// Coverage guidance: the parsers under test are compiled with -fsanitize-coverage=trace-pc, so
// every basic block calls __sanitizer_cov_trace_pc() below, which counts the edge (previous
// block, this block) in a 64 Ki map, as AFL does. After a run the counts are bucketed (1, 2, 3,
// 4-7, 8-15, 16-31, 32-127, 128+); an input that shows a bucket never seen before joins the
// corpus. "cov" is the number of map entries ever hit, "ft" the bucket bits.
//
// A crash (a sanitizer report, an abort from a broken invariant or an uncaught exception, a
// signal, a run longer than --timeout) writes the input to ./fuzz-crash-<name> and prints it in
// hex. Single-threaded.
#include <fcntl.h>
#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// Set by GNU ld: the executable's first byte. Program counters are hashed relative to it, so a
// run maps the same code to the same entries whatever the address space layout.
extern "C" char __executable_start;
// In the sanitizer runtimes (asan build) only; called when a sanitizer ends the process.
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)());

// Sanitizer reports end in abort(), which OnFatalSignal turns into a saved input: UBSan's own
// exit calls no callback. *SAN_OPTIONS in the environment still win.
extern "C" const char* __asan_default_options() { return "abort_on_error=1"; }
extern "C" const char* __ubsan_default_options() { return "abort_on_error=1:print_stacktrace=1"; }

namespace {

constexpr size_t kMapSize = 1 << 16;
uint8_t g_counters[kMapSize];  // hits of each edge in the current run
uintptr_t g_previous_block = 0;

}  // namespace

extern "C" __attribute__((no_sanitize("address", "undefined"))) void __sanitizer_cov_trace_pc() {
  uintptr_t pc = reinterpret_cast<uintptr_t>(__builtin_return_address(0)) -
                 reinterpret_cast<uintptr_t>(&__executable_start);
  uintptr_t block = (pc * 0x9E3779B97F4A7C15ULL) >> 48;
  uint8_t& counter = g_counters[(block ^ g_previous_block) % kMapSize];
  counter += counter != 255;
  g_previous_block = block >> 1;
}

namespace {

// ---- Crash reports: async-signal-safe, from a signal handler or a sanitizer's death callback.

const uint8_t* g_input = nullptr;  // the input being run
size_t g_input_size = 0;
char g_crash_path[512] = "fuzz-crash";
std::atomic<uint64_t> g_runs_started{0};
int g_timeout_seconds = 0;

void WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void Say(const char* text) { WriteAll(STDERR_FILENO, text, strlen(text)); }

void SayNumber(uint64_t n) {
  char digits[24];
  size_t i = sizeof(digits);
  do {
    digits[--i] = static_cast<char>('0' + n % 10);
    n /= 10;
  } while (n > 0);
  WriteAll(STDERR_FILENO, digits + i, sizeof(digits) - i);
}

void DumpInput() {
  static std::atomic<bool> dumped{false};
  if (g_input == nullptr || dumped.exchange(true)) return;
  int fd = open(g_crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    WriteAll(fd, reinterpret_cast<const char*>(g_input), g_input_size);
    close(fd);
  }
  Say("\n==fuzz== the input (");
  SayNumber(g_input_size);
  Say(" bytes) is in ");
  Say(g_crash_path);
  Say("; in hex:\n");
  constexpr size_t kShown = 4096;
  char line[2 * 32 + 1];
  for (size_t at = 0; at < std::min(g_input_size, kShown); at += 32) {
    size_t n = 0;
    for (size_t i = at; i < std::min({at + 32, g_input_size, kShown}); ++i) {
      line[n++] = "0123456789abcdef"[g_input[i] >> 4];
      line[n++] = "0123456789abcdef"[g_input[i] & 15];
    }
    line[n++] = '\n';
    WriteAll(STDERR_FILENO, line, n);
  }
  if (g_input_size > kShown) Say("...\n");
}

void OnFatalSignal(int signal) {
  DumpInput();
  ::signal(signal, SIG_DFL);
  raise(signal);
}

// Once a second: a run that has not ended for --timeout seconds is a hang.
void OnTimer(int) {
  static uint64_t last_run = 0;
  static int stalled = 0;
  uint64_t run = g_runs_started.load(std::memory_order_relaxed);
  stalled = run == last_run && g_input != nullptr ? stalled + 1 : 0;
  last_run = run;
  if (g_timeout_seconds > 0 && stalled >= g_timeout_seconds) {
    Say("\n==fuzz== timeout: one input has run for ");
    SayNumber(static_cast<uint64_t>(stalled));
    Say(" s");
    DumpInput();
    _exit(70);
  }
}

void OnTerminate() {
  if (std::exception_ptr error = std::current_exception()) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "==fuzz== uncaught exception: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "==fuzz== uncaught exception\n");
    }
  }
  std::abort();
}

void InstallCrashHandlers() {
  std::set_terminate(OnTerminate);
  struct sigaction action = {};
  action.sa_flags = SA_RESTART;
  action.sa_handler = OnFatalSignal;
  // Under a sanitizer its own handlers report a SEGV and the like; the report then ends in
  // abort() (abort_on_error, above), or with ASan and other options, in the death callback.
  if (__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(DumpInput);
    sigaction(SIGABRT, &action, nullptr);
  } else {
    for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL})
      sigaction(signal, &action, nullptr);
  }
  action.sa_handler = OnTimer;
  sigaction(SIGALRM, &action, nullptr);
  itimerval every_second = {.it_interval = {.tv_sec = 1, .tv_usec = 0},
                            .it_value = {.tv_sec = 1, .tv_usec = 0}};
  setitimer(ITIMER_REAL, &every_second, nullptr);
}

// ---- Coverage.

// AFL's hit-count classes: one bit each.
struct Buckets {
  uint8_t of[256];
  constexpr Buckets() : of() {
    for (int n = 1; n < 256; ++n) {
      of[n] = n == 1    ? 1
              : n == 2  ? 2
              : n == 3  ? 4
              : n < 8   ? 8
              : n < 16  ? 16
              : n < 32  ? 32
              : n < 128 ? 64
                        : 128;
    }
  }
};
constexpr Buckets kBuckets;

class Coverage {
 public:
  // Folds the last run's counters into what has been seen and clears them; true when the run
  // showed something new.
  __attribute__((no_sanitize("address"))) bool Merge() {
    bool grew = false;
    for (size_t word = 0; word < kMapSize; word += 8) {
      uint64_t any;
      std::memcpy(&any, g_counters + word, 8);
      if (any == 0) continue;
      for (size_t i = word; i < word + 8; ++i) {
        uint8_t bucket = kBuckets.of[g_counters[i]];
        if ((bucket & ~seen_[i]) != 0) {
          seen_[i] |= bucket;
          grew = true;
        }
        g_counters[i] = 0;
      }
    }
    return grew;
  }

  size_t Edges() const {
    return static_cast<size_t>(std::count_if(seen_, seen_ + kMapSize, [](uint8_t b) { return b; }));
  }
  size_t Features() const {
    size_t n = 0;
    for (uint8_t b : seen_) n += static_cast<size_t>(std::popcount(b));
    return n;
  }

 private:
  uint8_t seen_[kMapSize] = {};
};

// Runs the target once on an exact-size copy, so a read past the end is caught by ASan.
void RunOne(const std::string& input) {
  auto copy = std::make_unique<uint8_t[]>(input.size());
  std::memcpy(copy.get(), input.data(), input.size());
  g_input = copy.get();
  g_input_size = input.size();
  g_runs_started.fetch_add(1, std::memory_order_relaxed);
  g_previous_block = 0;
  LLVMFuzzerTestOneInput(copy.get(), input.size());
  g_input = nullptr;
}

// ---- Mutation.

class Rng {  // splitmix64: small, fast, the same everywhere
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_;
};

// Bytes that mean something to the formats fuzzed here.
constexpr char kInterestingChars[] = "\0\x01\x7f\x80\xff<>/&;\"'=:,[]{}$*- \t\r\n0129";
constexpr std::string_view kInterestingBytes(kInterestingChars, sizeof(kInterestingChars) - 1);

class Mutator {
 public:
  Mutator(Rng& rng, std::vector<std::string> dictionary, size_t max_len)
      : rng_(rng), dictionary_(std::move(dictionary)), max_len_(max_len) {}

  // One to eight mutations of `data`; `other` is a second corpus input to splice with.
  void Mutate(std::string& data, const std::string& other) {
    size_t count = size_t{1} << rng_.Below(4);
    for (size_t i = 0; i < count; ++i) MutateOnce(data, other);
    if (data.size() > max_len_) data.resize(max_len_);
  }

 private:
  size_t Position(const std::string& data) { return rng_.Below(data.size() + 1); }
  // 1..limit, mostly short: at most 8, 64 or 512 bytes, a third of the time each.
  size_t Length(size_t limit) {
    constexpr size_t kScales[] = {8, 64, 512};
    return 1 + rng_.Below(std::min(limit, kScales[rng_.Below(3)]));
  }
  const std::string& Token() { return dictionary_[rng_.Below(dictionary_.size())]; }

  void MutateOnce(std::string& data, const std::string& other) {
    switch (rng_.Below(11)) {
      case 0:  // flip a bit
        if (!data.empty()) data[rng_.Below(data.size())] ^= static_cast<char>(1 << rng_.Below(8));
        break;
      case 1:  // set a byte to a random or a meaningful value
        if (!data.empty()) {
          data[rng_.Below(data.size())] =
              rng_.Below(2) ? static_cast<char>(rng_.Next())
                            : kInterestingBytes[rng_.Below(kInterestingBytes.size())];
        }
        break;
      case 2: {  // insert a few random bytes, or one repeated
        std::string bytes(1 + rng_.Below(8),
                          kInterestingBytes[rng_.Below(kInterestingBytes.size())]);
        if (rng_.Below(2)) {
          for (char& c : bytes) c = static_cast<char>(rng_.Next());
        }
        data.insert(Position(data), bytes);
        break;
      }
      case 3:  // erase a range
        if (!data.empty()) {
          size_t at = rng_.Below(data.size());
          data.erase(at, Length(data.size() - at));
        }
        break;
      case 4:  // copy a range elsewhere (repeats an element)
        if (!data.empty()) {
          size_t from = rng_.Below(data.size());
          std::string range = data.substr(from, Length(data.size() - from));
          data.insert(Position(data), range);
        }
        break;
      case 5:  // insert a dictionary token
      case 6:
        if (!dictionary_.empty()) data.insert(Position(data), Token());
        break;
      case 7:  // overwrite with a dictionary token
        if (!dictionary_.empty()) {
          const std::string& token = Token();
          size_t at = Position(data);
          data.replace(at, std::min(token.size(), data.size() - at), token);
        }
        break;
      case 8:  // splice: this input's head, the other's tail
        data = data.substr(0, Position(data)) + other.substr(rng_.Below(other.size() + 1));
        break;
      case 9:  // insert a range of the other input
        if (!other.empty()) {
          size_t from = rng_.Below(other.size());
          data.insert(Position(data), other.substr(from, Length(other.size() - from)));
        }
        break;
      case 10:  // truncate
        data.resize(rng_.Below(data.size() + 1));
        break;
    }
  }

  Rng& rng_;
  std::vector<std::string> dictionary_;
  size_t max_len_;
};

// ---- Files.

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every regular file of `dir` but dot files, in name order.
std::vector<std::string> LoadCorpus(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> paths;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.is_regular_file() && !entry.path().filename().string().starts_with('.')) {
      paths.push_back(entry.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<std::string> inputs;
  for (const auto& path : paths) {
    if (auto data = ReadFile(path)) inputs.push_back(std::move(*data));
  }
  return inputs;
}

// libFuzzer's (and AFL's) dictionary format: one token a line, `name="value"` or `"value"`,
// with \\, \" and \xNN escapes; # starts a comment.
std::vector<std::string> LoadDictionary(const std::filesystem::path& path) {
  std::vector<std::string> tokens;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t open = line.find('"');
    size_t close = line.rfind('"');
    if (line.starts_with('#') || open == std::string::npos || close <= open) continue;
    std::string token;
    for (size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        token += line[i];
      } else if (line[i + 1] == 'x' && i + 3 < close) {
        token += static_cast<char>(std::strtol(line.substr(i + 2, 2).c_str(), nullptr, 16));
        i += 3;
      } else {
        token += line[++i];
      }
    }
    tokens.push_back(std::move(token));
  }
  return tokens;
}

void Save(const std::filesystem::path& dir, const std::string& input) {
  uint64_t hash = 14695981039346656037ULL;  // FNV-1a names the file after its content
  for (char c : input) hash = (hash ^ static_cast<uint8_t>(c)) * 1099511628211ULL;
  char name[17];
  std::snprintf(name, sizeof(name), "%016llx", static_cast<unsigned long long>(hash));
  std::ofstream(dir / name, std::ios::binary) << input;
}

// ---- Main.

struct Options {
  std::string name;  // the target: argv[0] without "_fuzz"
  uint64_t runs = 20000;
  double seconds = 0;  // 0: no time limit
  uint64_t seed = 1;
  size_t max_len = 4096;
  int timeout = 10;  // seconds one input may run
  std::filesystem::path corpus;
  std::filesystem::path dictionary;
  std::filesystem::path save;  // where to write inputs that grew coverage; empty: nowhere
  std::vector<std::filesystem::path> files;
};

[[noreturn]] void Usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--runs N] [--seconds S] [--seed N] [--max-len N] [--timeout S]\n"
               "          [--corpus DIR] [--dict FILE] [--save DIR] [FILE...]\n"
               "--seconds alone lifts the default run count; 0 runs means no limit.\n",
               program);
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  options.name = std::filesystem::path(argv[0]).filename().string();
  if (options.name.ends_with("_fuzz")) options.name.resize(options.name.size() - 5);
  options.corpus = std::filesystem::path(STRATUS_FUZZ_DIR) / "corpus" / options.name;
  options.dictionary = std::filesystem::path(STRATUS_FUZZ_DIR) / "dict" / (options.name + ".dict");
  bool runs_given = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!arg.starts_with("--")) {
      options.files.emplace_back(arg);
      continue;
    }
    if (i + 1 == argc) Usage(argv[0]);
    const char* value = argv[++i];
    if (arg == "--runs") {
      options.runs = std::strtoull(value, nullptr, 10);
      runs_given = true;
    } else if (arg == "--seconds") {
      options.seconds = std::strtod(value, nullptr);
    } else if (arg == "--seed") {
      options.seed = std::strtoull(value, nullptr, 10);
    } else if (arg == "--max-len") {
      options.max_len = std::strtoull(value, nullptr, 10);
    } else if (arg == "--timeout") {
      options.timeout = std::atoi(value);
    } else if (arg == "--corpus") {
      options.corpus = value;
    } else if (arg == "--dict") {
      options.dictionary = value;
    } else if (arg == "--save") {
      options.save = value;
    } else {
      Usage(argv[0]);
    }
  }
  if (options.seconds > 0 && !runs_given) options.runs = 0;
  return options;
}

int Reproduce(const Options& options) {
  for (const auto& path : options.files) {
    std::optional<std::string> input = ReadFile(path);
    if (!input) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 1;
    }
    std::fprintf(stderr, "running %s (%zu bytes)\n", path.c_str(), input->size());
    RunOne(*input);
  }
  std::fprintf(stderr, "%zu inputs ran without a crash\n", options.files.size());
  return 0;
}

int Fuzz(const Options& options) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };

  std::vector<std::string> corpus = LoadCorpus(options.corpus);
  if (corpus.empty()) {
    std::fprintf(stderr, "warning: no seeds in %s; starting from an empty input\n",
                 options.corpus.c_str());
    corpus.emplace_back();
  }
  std::vector<std::string> dictionary = LoadDictionary(options.dictionary);
  size_t max_len = options.max_len;
  for (const std::string& seed : corpus) max_len = std::max(max_len, seed.size());

  Coverage coverage;
  for (const std::string& seed : corpus) {
    RunOne(seed);
    coverage.Merge();
  }
  const size_t seeds = corpus.size(), seed_edges = coverage.Edges();
  const size_t seed_features = coverage.Features();
  std::fprintf(stderr, "%s: %zu seeds, %zu dictionary tokens: cov %zu ft %zu\n",
               options.name.c_str(), seeds, dictionary.size(), seed_edges, seed_features);

  Rng rng(options.seed);
  Mutator mutator(rng, std::move(dictionary), max_len);
  if (!options.save.empty()) std::filesystem::create_directories(options.save);
  uint64_t runs = 0;
  uint64_t next_report = 1024;
  while (options.runs == 0 || runs < options.runs) {
    if (options.seconds > 0 && (runs & 63) == 0 && elapsed() >= options.seconds) break;
    std::string input = corpus[rng.Below(corpus.size())];
    mutator.Mutate(input, corpus[rng.Below(corpus.size())]);
    RunOne(input);
    ++runs;
    if (coverage.Merge()) {
      if (!options.save.empty()) Save(options.save, input);
      corpus.push_back(std::move(input));
    }
    if (runs == next_report) {
      std::fprintf(stderr, "#%llu cov %zu ft %zu corpus %zu exec/s %.0f\n",
                   static_cast<unsigned long long>(runs), coverage.Edges(), coverage.Features(),
                   corpus.size(), static_cast<double>(runs) / elapsed());
      next_report *= 2;
    }
  }
  double seconds = elapsed();
  std::fprintf(stderr,
               "%s: %llu runs in %.1f s (%.0f/s), seed %llu: cov %zu -> %zu, ft %zu -> %zu, "
               "corpus %zu -> %zu\n",
               options.name.c_str(), static_cast<unsigned long long>(runs), seconds,
               static_cast<double>(runs) / std::max(seconds, 1e-9),
               static_cast<unsigned long long>(options.seed), seed_edges, coverage.Edges(),
               seed_features, coverage.Features(), seeds, corpus.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  std::snprintf(g_crash_path, sizeof(g_crash_path), "fuzz-crash-%s", options.name.c_str());
  g_timeout_seconds = options.timeout;
  InstallCrashHandlers();
  return options.files.empty() ? Fuzz(options) : Reproduce(options);
}
