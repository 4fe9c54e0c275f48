import { sigmoid, softmaxInto } from '../models/logistic-regression.model';
import type { Calibration } from './calibration.types';
import { applyIsotonic } from './isotonic.calibration';
import { applyPlatt } from './platt.calibration';

/** Calibrated P(positive) from a binary logit. */
export function calibrateBinary(z: number, calibration: Calibration): number {
  switch (calibration.method) {
    case 'platt':
      return applyPlatt(z, calibration.a, calibration.b);
    case 'isotonic':
      // Isotonic steps can reach exactly 0 or 1; a calibrated probability must stay usable in log-loss.
      return Math.min(1 - 1e-4, Math.max(1e-4, applyIsotonic(z, calibration.x, calibration.y)));
    default:
      return sigmoid(z);
  }
}

/** Calibrated class probabilities from multinomial logits (row `from`, K classes) into out. */
export function calibrateMulticlass(
  logits: ArrayLike<number>,
  from: number,
  K: number,
  calibration: Calibration,
  out: Float64Array,
  outFrom = 0,
): void {
  softmaxInto(logits, from, K, out, outFrom, calibration.method === 'temperature' ? calibration.temperature : 1);
}
