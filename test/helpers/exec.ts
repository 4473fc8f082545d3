// Spawns the real binary, as a user or a cron job would, with NO_COLOR and no terminal.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const binPath = join(repoRoot, 'bin', 'rnncast');

export function dataset(name: string): string {
  return join(repoRoot, 'datasets', name);
}

export function fixture(name: string): string {
  return join(repoRoot, 'test', 'fixtures', name);
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
  cwd?: string;
}

function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  // Flags from the developer's own environment must not leak into the tests.
  // Nor a Kubernetes Indexed Job's, which rnncast reads as --shard.
  for (const key of Object.keys(env)) if ((key.startsWith('RNNCAST_') || key.startsWith('JOB_COMPLETION')) && !(key in extra)) delete env[key];
  return env;
}

export function runCli(args: string[], options: RunOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [binPath, ...args], {
    input: options.input ?? '',
    env: cleanEnv(options.env),
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? (result.signal ? 128 : 1), stdout: result.stdout, stderr: result.stderr };
}

/** Runs the binary without blocking, so several runs (or a run and a signal) can overlap. */
export function runCliAsync(args: string[], options: RunOptions & { onStderr?: (stderr: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], { env: cleanEnv(options.env), cwd: options.cwd ?? repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('error', reject);
    child.on('close', (code, killedBy) => resolvePromise({ status: code ?? (killedBy ? 128 : 1), stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Starts the binary and sends `signal` once `ready(stderr)` is true; resolves on exit. */
export function runCliAndSignal(args: string[], ready: (stderr: string) => boolean, signal: NodeJS.Signals = 'SIGINT', options: RunOptions = {}): Promise<CliResult> {
  let sent = false;
  return runCliAsync(args, {
    ...options,
    onStderr: (stderr, kill) => {
      if (!sent && ready(stderr)) {
        sent = true;
        kill(signal);
      }
    },
  });
}

export function tempDir(prefix = 'rnncast-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
