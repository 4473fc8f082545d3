// Compiles the kernels (assembly/index.ts) twice: dist/assembly/kernels.wasm with SIMD, which every
// runtime with SIMD runs, and dist/assembly/kernels-relaxed.wasm with relaxed SIMD too (fused
// multiply-add; src/nn/wasm.ts uses it where the runtime has it). Runs after tsc: the memory's
// maximum comes from dist/src/nn/wasm-limits.js, the one place it is written.
import asc from 'assemblyscript/asc';
import { MAX_PAGES } from '../dist/src/nn/wasm-limits.js';

const flags = [
  '-O3', '--runtime', 'stub', '--noAssert',
  '--enable', 'simd', '--enable', 'threads', '--enable', 'bulk-memory',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', String(MAX_PAGES),
];
const builds = [
  { out: 'dist/assembly/kernels.wasm', extra: [] },
  { out: 'dist/assembly/kernels-relaxed.wasm', extra: ['--enable', 'relaxed-simd'] },
];

for (const { out, extra } of builds) {
  const { error } = await asc.main(['assembly/index.ts', '-o', out, ...flags, ...extra], { stdout: process.stdout, stderr: process.stderr });
  if (error) {
    console.error(`build:wasm: ${out}: ${error.message}`);
    process.exitCode = 1;
    break;
  }
}
