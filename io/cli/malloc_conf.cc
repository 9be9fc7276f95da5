// jemalloc's options for the credsweep executable, read when jemalloc starts
// (compiled in only when the executable links jemalloc: CREDSWEEP_JEMALLOC).
//
// thp:always: jemalloc asks the kernel for transparent huge pages on the memory it
// maps (madvise MADV_HUGEPAGE; a kernel whose THP mode is "never" ignores it). A
// sweep builds GBs of outcome objects and readings in a fresh process, and faulted
// them in 4 KiB at a time: 167,000 page faults for a 200,000-credential re-sweep,
// 4,000 with huge pages, and 3.5 s became 2.2 to 2.8 s (docs/performance.md,
// "Incremental sweeps"). `verify` is unchanged in speed; a small process's peak
// RSS grows by a few MB (memory is mapped 2 MiB at a time).
extern "C" {
// NOLINTNEXTLINE: the name jemalloc looks for.
const char* malloc_conf = "thp:always,metadata_thp:auto";
}
