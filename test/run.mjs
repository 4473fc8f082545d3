// Runs every compiled test file with Node's built-in runner. Node 20's `node --test` does not
// expand globs, so the files are listed here. Extra arguments are passed through.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function findTests(folder) {
  const found = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
let files = findTests('dist/test').sort();
if (only.length > 0) files = files.filter((file) => only.some((part) => file.includes(part)));
const result = spawnSync(process.execPath, ['--test', ...flags, ...files], { stdio: 'inherit' });
process.exitCode = result.status ?? 1;
