// Training progress on standard error: a cli-progress bar on a terminal, a plain line every few
// epochs otherwise (cron mail, CI logs), nothing with --quiet.
import type { Writable } from 'node:stream';
import type { EpochEvent } from '../train/loop.js';

/** Where progress goes: standard error, a bar only on a terminal, nothing when quiet. */
export interface ProgressTarget {
  stderr: Writable;
  quiet: boolean;
  interactive: boolean;
}

export interface TrainingProgress {
  update(event: EpochEvent): void;
  stop(): void;
}

const formatLoss = (value: number | null): string => (value === null || !Number.isFinite(value) ? '-' : value.toPrecision(4));

export function plainEpochLine(event: EpochEvent, label: string): string {
  const val = event.valLoss === null ? '' : ` val ${formatLoss(event.valLoss)}`;
  return `${label}epoch ${event.epoch}/${event.epochs} train ${formatLoss(event.trainLoss)}${val} best ${event.bestEpoch} grad-norm ${event.gradNorm.toPrecision(3)} ${event.seconds.toFixed(1)}s`;
}

/** Plain lines: the first epoch, then about every 10% of the epoch budget or 5 s, whichever is first. */
function plainProgress(context: ProgressTarget, label: string): TrainingProgress {
  let lastLine = -Infinity;
  return {
    update(event) {
      const every = Math.max(1, Math.round(event.epochs / 10));
      if (event.epoch === 1 || event.epoch % every === 0 || event.seconds - lastLine >= 5) {
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
    format: `${label}epoch {value}/{total} |{bar}| train {train} val {val} best {best} grad {grad} ETA {eta_formatted}`,
    barsize: 20,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
  });
  let started = false;
  return {
    update(event) {
      const payload = { train: formatLoss(event.trainLoss), val: formatLoss(event.valLoss), best: event.bestEpoch, grad: event.gradNorm.toPrecision(3) };
      if (!started) {
        bar.start(event.epochs, event.epoch, payload);
        started = true;
      } else {
        bar.update(event.epoch, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
