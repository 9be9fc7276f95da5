// Status index benchmarks, driven by scripts/bench-status:
//
//   credsweep_status_bench gen --rows N --out FILE.csv
//       N rows "urn:uuid:bench-<n>,<state>,<reason>" (every 50th revoked, every
//       200th suspended), for `credsweep import`.
//   credsweep_status_bench lookup --db DIR --rows N [--threads T] [--lookups M]
//       M point lookups of random ids (90% among the N imported, 10% unknown) on T
//       threads against a warm cache (--cache-mb, default 256, the index's default);
//       prints lookups/s and p50/p99/p999 latency.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/status_index.h"

namespace {

std::string Id(uint64_t n) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "urn:uuid:bench-%012llu", static_cast<unsigned long long>(n));
  return buf;
}

const char* Arg(int argc, char** argv, const char* name, const char* def) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return def;
}

int Gen(uint64_t rows, const std::string& out) {
  std::ofstream f(out, std::ios::binary);
  f << "id,state,reason\n";
  std::string buf;
  for (uint64_t n = 0; n < rows; ++n) {
    const char* state = n % 50 == 0 ? "revoked" : n % 200 == 1 ? "suspended" : "active";
    buf += Id(n) + "," + state + ",bench\n";
    if (buf.size() > (1 << 20)) {
      f << buf;
      buf.clear();
    }
  }
  f << buf;
  return f ? 0 : 1;
}

int Lookup(const std::string& db, uint64_t rows, int threads, uint64_t lookups, size_t cache_mb) {
  credsweep::storage::OpenOptions options;
  options.read_only = true;
  options.block_cache_bytes = cache_mb << 20;
  auto idx = credsweep::storage::StatusIndex::Open(db, options);
  if (!idx.ok()) {
    std::fprintf(stderr, "%s\n", idx.status().ToString().c_str());
    return 2;
  }
  std::mt19937_64 rng(42);
  std::vector<std::string> ids(lookups);
  for (auto& id : ids) {
    uint64_t r = rng();
    id = r % 10 == 0 ? Id(rows + r % rows) : Id(r % rows);  // 10% unknown
  }
  auto run = [&](std::vector<double>* lat, size_t* found) {
    std::vector<std::thread> pool;
    std::vector<std::vector<double>> lats(threads);
    std::vector<size_t> founds(threads);
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        auto& l = lats[t];
        l.reserve(ids.size() / threads + 1);
        for (size_t i = t; i < ids.size(); i += threads) {
          auto a = std::chrono::steady_clock::now();
          auto r = (*idx)->Lookup(ids[i]);
          auto b = std::chrono::steady_clock::now();
          founds[t] += r.ok() && r->has_value();
          l.push_back(std::chrono::duration<double, std::micro>(b - a).count());
        }
      });
    }
    for (auto& th : pool) th.join();
    for (int t = 0; t < threads; ++t) {
      lat->insert(lat->end(), lats[t].begin(), lats[t].end());
      *found += founds[t];
    }
  };
  std::vector<double> warm;
  size_t found = 0;
  run(&warm, &found);  // warm the block cache with the same ids
  std::vector<double> lat;
  found = 0;
  auto start = std::chrono::steady_clock::now();
  run(&lat, &found);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(lat.begin(), lat.end());
  auto pct = [&](double p) { return lat[static_cast<size_t>(p * (lat.size() - 1))]; };
  std::printf("{\"threads\":%d,\"lookups\":%zu,\"found\":%zu,\"seconds\":%.3f,\"lookups_per_second\":%.0f,"
              "\"p50_us\":%.2f,\"p99_us\":%.2f,\"p999_us\":%.2f}\n",
              threads, lat.size(), found, secs, lat.size() / secs, pct(0.5), pct(0.99), pct(0.999));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s gen|lookup ...\n", argv[0]);
    return 2;
  }
  std::string cmd = argv[1];
  uint64_t rows = std::stoull(Arg(argc, argv, "--rows", "1000000"));
  if (cmd == "gen") return Gen(rows, Arg(argc, argv, "--out", "rows.csv"));
  if (cmd == "lookup") {
    return Lookup(Arg(argc, argv, "--db", "db"), rows, std::stoi(Arg(argc, argv, "--threads", "1")),
                  std::stoull(Arg(argc, argv, "--lookups", "2000000")),
                  std::stoull(Arg(argc, argv, "--cache-mb", "256")));
  }
  std::fprintf(stderr, "unknown command %s\n", cmd.c_str());
  return 2;
}
