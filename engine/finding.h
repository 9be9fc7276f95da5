// Finding: the engine's one verdict-finding type. A stable snake_case code and a
// message for people; an empty code means "no problem". Checks, envelopes, proofs
// and status lists all report through it (see docs/output-format.md for the codes).
#ifndef CREDSWEEP_ENGINE_FINDING_H_
#define CREDSWEEP_ENGINE_FINDING_H_

#include <string>

namespace credsweep {

struct Finding {
  std::string code;  // empty: no problem
  std::string message;
  bool ok() const { return code.empty(); }
};

}  // namespace credsweep

#endif  // CREDSWEEP_ENGINE_FINDING_H_
