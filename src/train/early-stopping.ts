// Early stopping on the validation loss: remembers the best round and says when patience ran out.
// Round 0 (the untrained network) may be observed too: then training must beat it to be kept.

export interface EarlyStopping {
  patience: number;
  minDelta: number;
  bestLoss: number; // +Infinity until the first finite loss
  bestEpoch: number; // 0 until the first finite loss (and when round 0 is the best)
  hasBest: boolean; // a finite loss was observed
  epochsWithoutImprovement: number;
}

export function createEarlyStopping(patience: number, minDelta: number): EarlyStopping {
  return { patience, minDelta, bestLoss: Number.POSITIVE_INFINITY, bestEpoch: 0, hasBest: false, epochsWithoutImprovement: 0 };
}

/** Records one round's monitored loss; returns whether it is the new best (the caller keeps its weights). */
export function observeEpoch(state: EarlyStopping, epoch: number, loss: number): boolean {
  // The first finite loss always counts; after that an improvement must exceed minDelta, as in Keras/Lightning.
  const improved = Number.isFinite(loss) && (!state.hasBest || loss < state.bestLoss - state.minDelta);
  if (improved) {
    state.bestLoss = loss;
    state.bestEpoch = epoch;
    state.hasBest = true;
    state.epochsWithoutImprovement = 0;
  } else {
    state.epochsWithoutImprovement += 1;
  }
  return improved;
}

export function patienceExhausted(state: EarlyStopping): boolean {
  return state.epochsWithoutImprovement >= state.patience;
}
