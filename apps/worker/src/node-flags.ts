// The Node flags every worker process runs with: `npm start` (this package's start
// script, which the launcher runs), the tests' spawned workers and the benches all
// take them from here (test/node-flags.test.ts keeps the start script in step).
//
// Why a heap cap (docs/decisions/0033): a worker's live heap is ~55 MB, but on a
// machine with more than 16 GiB V8 sizes the old generation at 4 GiB and then lets
// it grow by up to 4× its live size between full collections, so under a backlog a
// worker's RSS swung between +20 and +190 MiB over its idle start. With a 512 MiB
// cap V8 grows it by ~1.4× instead (its growing factor scales with the cap): the
// swing stays within ~60 MiB at the same GC cost. 512 is ~9× the live heap, the cap
// the audit children already run with (audit/src/process/parent.ts).
export const WORKER_HEAP_LIMIT_MIB = 512;

export const WORKER_NODE_FLAGS: readonly string[] = [`--max-old-space-size=${WORKER_HEAP_LIMIT_MIB}`];
