/** Maps raw model scores (logits) to calibrated probabilities; saved in the artifact as is. */
export type Calibration =
  | { method: 'none' }
  /** p = σ(a·z + b) on the binary logit z. */
  | { method: 'platt'; a: number; b: number }
  /** Piecewise-linear interpolation through (x, y) on the binary logit; clipped at the ends. */
  | { method: 'isotonic'; x: number[]; y: number[] }
  /** softmax(z / T) for multinomial logits. */
  | { method: 'temperature'; temperature: number };
