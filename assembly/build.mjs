// Compiles the kernels (assembly/index.ts) to dist/assembly/kernels.wasm. Runs after tsc: the
// memory's maximum comes from dist/src/nn/wasm-limits.js, the one place it is written.
import asc from 'assemblyscript/asc';
import { MAX_PAGES } from '../dist/src/nn/wasm-limits.js';

const flags = [
  '-O3', '--runtime', 'stub', '--noAssert',
  '--enable', 'simd', '--enable', 'threads', '--enable', 'bulk-memory',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', String(MAX_PAGES),
];

const { error } = await asc.main(['assembly/index.ts', '-o', 'dist/assembly/kernels.wasm', ...flags], { stdout: process.stdout, stderr: process.stderr });
if (error) {
  console.error(`build:wasm: ${error.message}`);
  process.exitCode = 1;
}
