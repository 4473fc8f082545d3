// Training progress on standard error: a cli-progress bar on a terminal, a plain line every few
// epochs otherwise (cron mail, CI logs), nothing with --quiet.
import type { Writable } from 'node:stream';
import type { RoundEvent } from '../train/loop.js';

/** Where progress goes: standard error, a bar only on a terminal, nothing when quiet. */
export interface ProgressTarget {
  stderr: Writable;
  quiet: boolean;
  interactive: boolean;
}

export interface TrainingProgress {
  update(event: RoundEvent): void;
  stop(): void;
}

const formatLoss = (value: number | null): string => (value === null || !Number.isFinite(value) ? '-' : value.toPrecision(4));

/** Seconds as '42s' or '3m05s'. */
function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}

/** An upper estimate of the time left: the rest of the step budget at the pace so far. */
export function timeLeft(event: RoundEvent): number {
  return event.step > 0 ? (event.seconds / event.step) * (event.steps - event.step) : Number.NaN;
}

export function plainEpochLine(event: RoundEvent, label: string): string {
  const val = event.valLoss === null ? '' : ` val ${formatLoss(event.valLoss)}`;
  return `${label}round ${event.round}/${event.rounds} step ${event.step}/${event.steps} train ${formatLoss(event.trainLoss)}${val} best ${event.bestRound} grad-norm ${event.gradNorm.toPrecision(3)} ${duration(event.seconds)} elapsed, at most ${duration(timeLeft(event))} left`;
}

/** Plain lines: the first round, then about every 10% of the round budget or 5 s, whichever is first. */
function plainProgress(context: ProgressTarget, label: string): TrainingProgress {
  let lastLine = -Infinity;
  return {
    update(event) {
      const every = Math.max(1, Math.round(event.rounds / 10));
      if (event.round === 1 || event.round % every === 0 || event.seconds - lastLine >= 5) {
        lastLine = event.seconds;
        context.stderr.write(`${plainEpochLine(event, label)}\n`);
      }
    },
    stop() {},
  };
}

export async function createTrainingProgress(context: ProgressTarget, label = ''): Promise<TrainingProgress> {
  if (context.quiet) return { update() {}, stop() {} };
  if (!context.interactive) return plainProgress(context, label);
  const { SingleBar } = (await import('cli-progress')).default;
  const bar = new SingleBar({
    stream: context.stderr,
    format: `${label}step {value}/{total} |{bar}| train {train} val {val} best {best} grad {grad} ETA {eta_formatted}`,
    barsize: 20,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
  });
  let started = false;
  return {
    update(event) {
      const payload = { train: formatLoss(event.trainLoss), val: formatLoss(event.valLoss), best: event.bestRound, grad: event.gradNorm.toPrecision(3) };
      if (!started) {
        bar.start(event.steps, event.step, payload);
        started = true;
      } else {
        bar.update(event.step, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
