#include "io/sweep/report_dir.h"

#include <filesystem>

#include "io/sweep/sweep_files.h"
#include "io/sweep/sweep_html.h"

namespace credsweep::io {

std::vector<std::string> SweepReportDir::Paths(const std::string& dir) {
  std::vector<std::string> paths;
  for (const char* name : kFileNames) paths.push_back((std::filesystem::path(dir) / name).string());
  return paths;
}

Result<std::unique_ptr<SweepReportDir>> SweepReportDir::Create(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError("cannot create the report folder " + dir + ": " + ec.message());
  std::array<std::unique_ptr<OutputFile>, 4> files;
  std::vector<std::string> paths = Paths(dir);
  for (size_t i = 0; i < files.size(); ++i) {
    auto f = OutputFile::Create(paths[i]);
    if (!f.ok()) return f.status();
    files[i] = std::move(f).value();
  }
  return std::unique_ptr<SweepReportDir>(new SweepReportDir(std::move(files)));
}

Status SweepReportDir::WriteAndCommit(const SweepRun& run, const SweepDiff& diff,
                                      const std::vector<SweepOutcome>& outcomes,
                                      const std::vector<SweepRun>& history) {
  const std::array<std::string, 4> texts = {DiffJsonl(diff), FailuresCsv(outcomes, diff), SweepRunToJson(run),
                                            SweepHtml(run, diff, history)};
  for (size_t i = 0; i < files_.size(); ++i) {
    if (Status s = files_[i]->Write(texts[i]); !s.ok()) return s;
  }
  for (auto& f : files_) {
    if (Status s = f->Commit(); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace credsweep::io
