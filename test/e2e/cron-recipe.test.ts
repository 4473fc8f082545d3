// The README's cron recipe, run as written: its crontab lines (through /bin/sh, as cron runs them,
// with the crontab's variables), its config file and its two job scripts, over a simulated week of
// nightly runs on data that grows by one row a day. Small settings keep it fast.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { binPath, repoRoot, tempDir } from '../helpers/exec.js';

const DAY = 86_400_000;
const FOLDER = '/srv/forecast';

/** The fenced block after `<!-- recipe: name -->` in the README. */
function recipe(name: string): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- recipe: ${name.replace('.', '\\.')} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  assert.ok(match, `README has a recipe block '${name}'`);
  return `${match[1]!}\n`;
}

interface CronJob {
  dayOfWeek: string;
  command: string;
}

/** A crontab: its variables, and its jobs (only the day-of-week field matters here). */
function parseCrontab(text: string): { env: Record<string, string>; jobs: CronJob[] } {
  const env: Record<string, string> = {};
  const jobs: CronJob[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const variable = /^([A-Z_]+)=(.*)$/.exec(line);
    if (variable) {
      env[variable[1]!] = variable[2]!;
      continue;
    }
    const fields = line.trim().split(/\s+/);
    jobs.push({ dayOfWeek: fields[4]!, command: fields.slice(5).join(' ') });
  }
  return { env, jobs };
}

/** A weekly pattern, a slow trend and some deterministic noise. */
function value(t: number): string {
  const noise = ((Math.imul(t + 1, 2654435761) >>> 0) / 2 ** 32 - 0.5) * 4;
  return (100 + 10 * Math.sin((2 * Math.PI * t) / 7) + 0.05 * t + noise).toFixed(2);
}

const dateOf = (time: number): string => new Date(time).toISOString().slice(0, 10);
const FIRST = Date.UTC(2024, 0, 1);

interface Night {
  /** What cron would mail: the jobs' standard output. */
  mail: string;
  statuses: string[];
}

describe('the README cron recipe, over a week of nightly runs', () => {
  const temp = tempDir('rnncast-cron-');
  after(() => temp.cleanup());
  const folder = join(temp.path, 'srv');
  const data = join(folder, 'sales.csv');
  const crontab = parseCrontab(recipe('crontab').replaceAll(FOLDER, folder));
  let env: NodeJS.ProcessEnv;
  let rows = 0;
  let recordsSeen = 0;

  before(() => {
    mkdirSync(folder);
    for (const name of ['nightly.sh', 'weekly.sh']) {
      writeFileSync(join(folder, name), recipe(name));
      chmodSync(join(folder, name), 0o755);
    }
    writeFileSync(join(folder, 'rnncast.json'), recipe('rnncast.json'));
    // `rnncast` on the crontab's PATH is this checkout's binary.
    const shims = join(temp.path, 'bin');
    mkdirSync(shims);
    writeFileSync(join(shims, 'rnncast'), `#!/bin/sh\nexec "${process.execPath}" "${binPath}" "$@"\n`);
    chmodSync(join(shims, 'rnncast'), 0o755);
    env = {
      HOME: temp.path,
      NO_COLOR: '1',
      ...crontab.env,
      PATH: `${shims}:${crontab.env.PATH}`,
      // Small and fast; the environment wins over the recipe's config file. A limit of 3 days makes the week go stale once.
      RNNCAST_HIDDEN: '4',
      RNNCAST_STEPS: '30',
      RNNCAST_MAX_AGE: '3',
    };
    // Data until Saturday 2024-06-01; each simulated day the export adds the day before.
    const lines = ['date,sales'];
    for (let time = FIRST; time <= Date.UTC(2024, 5, 1); time += DAY) lines.push(`${dateOf(time)},${value(rows++)}`);
    writeFileSync(data, `${lines.join('\n')}\n`);
  });

  /** One simulated day: the export appends a row, then the jobs cron runs on that day of the week, in crontab order. */
  function night(date: number, options: { export?: boolean; again?: boolean; env?: Record<string, string> } = {}): Night {
    if (options.export !== false) appendFileSync(data, `${dateOf(date - DAY)},${value(rows++)}\n`);
    const dayOfWeek = String(new Date(date).getUTCDay());
    let mail = '';
    const jobs = crontab.jobs.filter((job) => job.dayOfWeek === '*' || job.dayOfWeek === dayOfWeek);
    for (const job of options.again ? jobs.filter((one) => one.dayOfWeek === '*') : jobs) {
      const result = spawnSync('/bin/sh', ['-c', job.command], { env: { ...env, ...options.env }, cwd: temp.path, encoding: 'utf8' });
      assert.equal(result.status, 0, 'a crontab line itself never fails');
      mail += result.stdout + result.stderr;
    }
    const records = readFileSync(join(folder, 'runs.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { command: string; status: string; exitCode: number; modelAge: { periods: number } | null });
    const statuses = records.slice(recordsSeen).map((record) => `${record.command} ${record.status}`);
    recordsSeen = records.length;
    return { mail, statuses };
  }

  /** The forecast starts the day after the last row, every day of the horizon. */
  function assertForecastFollows(lastRow: number): void {
    const lines = readFileSync(join(folder, 'forecast.csv'), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'date,forecast,lower_80,upper_80,lower_95,upper_95');
    assert.equal(lines.length, 1 + 14, 'daily data: a horizon of 14 days');
    assert.equal(lines[1]!.split(',')[0], dateOf(lastRow + DAY));
  }

  test('Monday to Sunday, and a Monday whose export failed', () => {
    const monday = Date.UTC(2024, 5, 3);
    const day = (n: number): number => monday + n * DAY; // the date cron fires on; the newest row is the day before

    // Monday: no model yet; the nightly job trains one, then forecasts.
    let result = night(day(0));
    assert.equal(result.mail, '', 'nothing mailed on a good night');
    assert.deepEqual(result.statuses, ['train ok', 'forecast ok']);
    assertForecastFollows(day(0) - DAY);

    // Tuesday: the saved model, one row behind.
    result = night(day(1));
    assert.deepEqual(result.statuses, ['forecast ok']);
    assertForecastFollows(day(1) - DAY);

    // Wednesday, and cron firing a second time on the same data: skipped.
    assert.deepEqual(night(day(2)).statuses, ['forecast ok']);
    const wednesday = readFileSync(join(folder, 'forecast.csv'), 'utf8');
    result = night(day(2), { export: false, again: true });
    assert.equal(result.mail, '');
    assert.deepEqual(result.statuses, ['forecast skipped']);
    assert.equal(readFileSync(join(folder, 'forecast.csv'), 'utf8'), wednesday);

    // Thursday: another run (this test, alive) still holds forecast.csv: after the lock timeout
    // (the recipe's 30 minutes, 1 s here) exit 5, left for the next night.
    const lock = join(folder, 'forecast.csv.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString(), command: 'forecast', processStart: null }));
    result = night(day(3), { env: { RNNCAST_LOCK_TIMEOUT: '1s' } });
    assert.equal(result.mail, '', 'a held lock is not a failure');
    assert.deepEqual(result.statuses, ['forecast locked']);
    assert.equal(readFileSync(join(folder, 'forecast.csv'), 'utf8'), wednesday, 'untouched');
    assert.match(readFileSync(join(folder, 'nightly.log'), 'utf8'), /forecast\.csv is locked by pid \d+ .*\nanother run is writing forecast\.csv: the next run catches up\n$/);
    renameSync(lock, `${lock}.done`);

    // Friday: the model is 4 days behind, over the limit of 3: exit 4, updated, then the forecast.
    result = night(day(4));
    assert.equal(result.mail, '');
    assert.deepEqual(result.statuses, ['forecast stale-model', 'update ok', 'forecast ok']);
    assertForecastFollows(day(4) - DAY);

    // Saturday: fresh again.
    assert.deepEqual(night(day(5)).statuses, ['forecast ok']);

    // Sunday: the weekly job first (the update, then the backtest gate), then the nightly forecast.
    result = night(day(6));
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as { gate: { passed: boolean } };
    const gate = metrics.gate.passed ? 'backtest ok' : 'backtest gate-failed';
    assert.deepEqual(result.statuses, ['update ok', gate, 'forecast ok']);
    // The model's lineage: trained on Monday, updated on Friday (4 new days) and on Sunday (2).
    const model = JSON.parse(readFileSync(join(folder, 'sales.model.json'), 'utf8')) as { updates: { rowsAdded: number }[]; data: { series: { lastTime: string }[] } };
    assert.deepEqual(model.updates.map((entry) => entry.rowsAdded), [4, 2]);
    assert.equal(model.data.series[0]!.lastTime, dateOf(day(6) - DAY));
    assert.equal(result.mail, metrics.gate.passed ? '' : `rnncast weekly job failed (exit 3): see ${folder}/weekly.log\n`, 'a lost gate is mailed, in one line');
    assertForecastFollows(day(6) - DAY);

    // Monday: the export did not run (the file is gone): exit 66, one line mailed, the forecast kept.
    const sunday = readFileSync(join(folder, 'forecast.csv'), 'utf8');
    renameSync(data, `${data}.away`);
    result = night(day(7), { export: false });
    assert.equal(result.mail, `rnncast nightly forecast failed (exit 66): see ${folder}/nightly.log\n`);
    assert.deepEqual(result.statuses, ['forecast failed']);
    assert.match(readFileSync(join(folder, 'nightly.log'), 'utf8'), /\nrnncast: .*sales\.csv.*\n$/, 'the log ends with the one error line');
    assert.equal(readFileSync(join(folder, 'forecast.csv'), 'utf8'), sunday);

    // The logs: one summary or error line per rnncast run (RNNCAST_QUIET=1 off a terminal).
    const log = readFileSync(join(folder, 'nightly.log'), 'utf8') + readFileSync(join(folder, 'weekly.log'), 'utf8');
    const runLines = log.split('\n').filter((line) => /^rnncast( \w+:|:)/.test(line));
    assert.equal(runLines.length, recordsSeen, `one line per run in the logs:\n${log}`);
    assert.equal(existsSync(lock), false);
  });
});
