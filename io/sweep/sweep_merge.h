// `sweep merge`: the parts of a sharded sweep (`--shard K/N`, each stored by the
// machine that ran it) combined into the run one machine would have made.
#ifndef CREDSWEEP_IO_SWEEP_SWEEP_MERGE_H_
#define CREDSWEEP_IO_SWEEP_SWEEP_MERGE_H_

#include <vector>

#include "engine/result.h"
#include "io/sweep/sweep_outcome.h"
#include "io/sweep/sweep_run.h"

namespace credsweep::io {

struct ShardPart {
  SweepRun run;  // run.shard is "K/N"
  std::vector<SweepOutcome> outcomes;
};

// From the stored runs of one or more indexes, the parts to merge: the newest
// sharded run (by finish time) names N and the verification time; for every K
// the newest run of part K/N at that time. NotFound naming a missing part.
Result<std::vector<const SweepRun*>> ChooseShardParts(const std::vector<const SweepRun*>& runs);

// The whole-corpus run of parts 1..N (in any order; each once): counts, failure
// codes and issuers summed, a warning every part gave once (one only some parts
// gave once per part, marked "part K/N: "), outcomes in the order of their records (SweepOutcome::position)
// with keys given again as one run gives them (a credential id's first record
// keeps the id, a later one is keyed by its source). The parts must have been
// made by the same credsweep version, at the same verification time, with the
// same trust configuration and options (--shard and --fail-on aside), over the
// same corpus (records read, skipped files, no record in two parts):
// InvalidArgument naming the part and what differs. The result's options say
// "shard":"" and `fail_on`; it has no id, previous run or exit status yet.
Result<ShardPart> MergeShardParts(std::vector<ShardPart> parts, const std::string& fail_on);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_SWEEP_SWEEP_MERGE_H_
