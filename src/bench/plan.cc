#include "bench/plan.h"

#include <fmt/format.h>

#include <algorithm>

namespace stratus::bench {
namespace {

std::unexpected<Status> Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// The mix with a default for "mixed" alone: warp's mixed benchmark distribution.
constexpr std::string_view kDefaultMix = "get=45,put=15,stat=30,delete=10";

}  // namespace

bool Plan::Issues(Op op) const {
  return std::any_of(mix.begin(), mix.end(), [op](const MixEntry& e) { return e.op == op; });
}

Result<Plan> MakePlan(const BenchOptions& options, std::string_view run_id, uint64_t random_seed) {
  Plan plan;
  ASSIGN_OR_RETURN(plan.endpoint, ParseEndpoint(options.endpoint));
  plan.endpoint_url = options.endpoint;
  plan.plain = options.plain;
  plan.discard = options.discard;
  if (!plan.plain) {
    if (options.access_key.empty() || options.secret_key.empty()) {
      return Invalid(
          "credentials needed: --access-key/--secret-key or AWS_ACCESS_KEY_ID/"
          "AWS_SECRET_ACCESS_KEY");
    }
    plan.credentials = Credentials{options.access_key, options.secret_key, options.region};
  }
  plan.insecure = options.insecure;

  if (!options.mix.empty()) {
    if (!options.op.empty() && options.op != "mixed") {
      return Invalid(fmt::format("--mix goes with --op mixed, not --op {}", options.op));
    }
    plan.operation = "mixed";
    ASSIGN_OR_RETURN(plan.mix, ParseMix(options.mix));
  } else if (options.op == "mixed") {
    plan.operation = "mixed";
    ASSIGN_OR_RETURN(plan.mix, ParseMix(kDefaultMix));
  } else {
    plan.operation = options.op.empty() ? "put" : options.op;
    std::optional<Op> op = ParseOpName(plan.operation);
    if (!op) return Invalid(fmt::format("unknown operation '{}'", plan.operation));
    plan.mix = {{*op, 1}};
  }
  if (plan.mix.size() > 1 && plan.Issues(Op::kDeleteObject) && !plan.Issues(Op::kPutObject) &&
      !plan.Issues(Op::kMultipartUpload)) {
    // Mixed deletes remove what the run's own writes created, so reads never miss.
    return Invalid("a mix with delete needs put or multipart too");
  }
  for (Op op : {Op::kListObjectsV2, Op::kMultipartUpload}) {
    if (plan.plain && plan.Issues(op)) {
      return Invalid(
          fmt::format("--plain runs put, get, head and delete only: a plain file server has no {}",
                      OpName(op)));
    }
  }

  ASSIGN_OR_RETURN(plan.sizes, ParseSizeRange(options.size));
  ASSIGN_OR_RETURN(plan.part_size, ParseSize(options.part_size));
  if (plan.part_size == 0) return Invalid("--part-size must be positive");
  if (plan.Issues(Op::kMultipartUpload) && plan.sizes.min == 0) {
    return Invalid("multipart uploads need a positive --size");
  }
  if (options.concurrency < 1 || options.concurrency > 4096) {
    return Invalid("--concurrency must be in 1..4096");
  }
  plan.concurrency = options.concurrency;
  plan.count = options.count;
  if (!options.duration.empty()) {
    ASSIGN_OR_RETURN(plan.duration, ParseDuration(options.duration));
    if (plan.duration.count() <= 0) return Invalid("--duration must be positive");
  } else if (plan.count == 0) {
    plan.duration = std::chrono::seconds(30);
  }
  if (options.prefixes < 1) return Invalid("--prefixes must be at least 1");
  plan.prefixes = options.prefixes;
  const bool reads = std::any_of(plan.mix.begin(), plan.mix.end(), [&](const MixEntry& e) {
    return ReadsPreparedObjects(e.op) && !(e.op == Op::kDeleteObject && !plan.DeletesPrepared());
  });
  if (reads && options.objects == 0) return Invalid("--objects must be at least 1");
  plan.objects = reads ? options.objects : 0;
  plan.verify_every = options.verify_every;
  plan.seed = options.seed != 0 ? options.seed : random_seed;
  plan.run_prefix = fmt::format("bench-{}", run_id);
  plan.generated_bucket = options.bucket.empty();
  plan.bucket = plan.generated_bucket ? fmt::format("stratus-bench-{}", run_id) : options.bucket;
  plan.json = options.json;
  plan.quiet = options.quiet;
  plan.cleanup = !options.keep;
  return plan;
}

std::string ObjectKey(const Plan& plan, uint64_t index) {
  if (plan.prefixes > 1) {
    return fmt::format("{}/p{}/{:010}", plan.run_prefix, index % plan.prefixes, index);
  }
  return fmt::format("{}/{:010}", plan.run_prefix, index);
}

std::string ListPrefix(const Plan& plan, uint32_t prefix) {
  if (plan.prefixes > 1) return fmt::format("{}/p{}/", plan.run_prefix, prefix);
  return plan.run_prefix + "/";
}

}  // namespace stratus::bench
