// Preloaded (`node --import`) into each rnncast the scale bench spawns: at exit, the process's peak
// resident set size and CPU time go to the file BENCH_RUSAGE_FILE names. Worker threads share the
// process, so their memory is counted; only the main thread writes.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.BENCH_RUSAGE_FILE;
if (file !== undefined && isMainThread) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKB: usage.maxRSS, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }));
  });
}
