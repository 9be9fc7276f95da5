#include "io/report/grouping.h"

#include <unordered_map>

namespace credsweep::io {
namespace {

// "path:12" or "path#3" -> "path".
std::string_view WithoutPosition(std::string_view source) {
  size_t at = source.find_last_of(":#");
  if (at == std::string_view::npos || at + 1 == source.size()) return source;
  for (size_t i = at + 1; i < source.size(); ++i) {
    if (source[i] < '0' || source[i] > '9') return source;
  }
  return source.substr(0, at);
}

}  // namespace

std::string FolderOf(std::string_view source, const std::vector<std::string>& inputs) {
  std::string_view path = WithoutPosition(source);
  std::string_view best_rest;
  size_t best_len = 0;
  bool found = false;
  for (std::string_view in : inputs) {
    if (in == "-") continue;
    while (in.size() > 1 && in.back() == '/') in.remove_suffix(1);
    const bool root = in == "/";
    const size_t skip = root ? 1 : in.size() + 1;  // the folder and its '/'
    if (path.size() <= skip || path.substr(0, in.size()) != in || (!root && path[in.size()] != '/')) continue;
    if (found && in.size() <= best_len) continue;
    found = true;
    best_len = in.size();
    best_rest = path.substr(skip);
  }
  if (!found) return std::string(path);
  return std::string(best_rest.substr(0, best_rest.find('/')));
}

std::string GroupOf(const ReportRow& row, GroupBy by, const std::vector<std::string>& inputs) {
  switch (by) {
    case GroupBy::kNone: return {};
    case GroupBy::kFolder: return FolderOf(row.result.source(), inputs);
    case GroupBy::kIssuer: return row.result.issuer().empty() ? "(no issuer)" : row.result.issuer();
  }
  return {};
}

std::vector<Group> GroupRows(const std::vector<ReportRow>& rows, GroupBy by, const std::vector<std::string>& inputs) {
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  for (const ReportRow& row : rows) {
    std::string name = GroupOf(row, by, inputs);
    auto [it, inserted] = index.emplace(name, groups.size());
    if (inserted) groups.push_back({std::move(name), {}});
    groups[it->second].rows.push_back(&row);
  }
  return groups;
}

}  // namespace credsweep::io
