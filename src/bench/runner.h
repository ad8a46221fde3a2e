// The phases of a run: bucket setup, prepare (upload the objects reads need; not measured),
// the measured phase (one worker thread and keep-alive connection per --concurrency, a
// progress line on stderr once a second), the report, and cleanup (every object under the
// run's prefix, then the bucket if the run created it).
#pragma once

#include "bench/plan.h"

namespace stratus::bench {

// Returns RunBench's exit code.
int Run(const Plan& plan);

}  // namespace stratus::bench
