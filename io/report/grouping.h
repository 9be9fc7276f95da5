// --group-by: which group a result belongs to, and results gathered by group.
#ifndef CREDSWEEP_IO_REPORT_GROUPING_H_
#define CREDSWEEP_IO_REPORT_GROUPING_H_

#include <string>
#include <string_view>
#include <vector>

#include "io/report/report_options.h"
#include "io/report/report_row.h"

namespace credsweep::io {

// The first path level under the input folder a record came from: for inputs
// "applicants" and source "applicants/ana/degree.json:3", "ana" (a file lying
// directly in the folder is its own group: "applicants/bob.jsonl:1" -> "bob.jsonl").
// The deepest matching input wins. A record of an input given as a file (or
// stdin, "-") groups under that input: its source without ":LINE" or "#K".
std::string FolderOf(std::string_view source, const std::vector<std::string>& inputs);

// The group of `row` under `by`: FolderOf its source, its issuer id ("(no issuer)"
// when none could be read), or "" for GroupBy::kNone.
std::string GroupOf(const ReportRow& row, GroupBy by, const std::vector<std::string>& inputs);

struct Group {
  std::string name;
  std::vector<const ReportRow*> rows;  // in input order
};

// `rows` by group, groups in order of first appearance (deterministic: the input
// order is). One group named "" for GroupBy::kNone. The pointers point into `rows`.
std::vector<Group> GroupRows(const std::vector<ReportRow>& rows, GroupBy by, const std::vector<std::string>& inputs);

}  // namespace credsweep::io

#endif  // CREDSWEEP_IO_REPORT_GROUPING_H_
