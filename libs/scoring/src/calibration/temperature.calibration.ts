// Temperature scaling (Guo et al., ICML 2017): one scalar T for softmax(z / T), fitted by
// minimising the multinomial log-loss. The loss is unimodal in log T, so golden-section search
// on log T ∈ [ln 0.05, ln 20] is exact enough and needs no gradient code.

function nll(logits: Float64Array, y: Int32Array, K: number, temperature: number): number {
  let s = 0;
  for (let i = 0; i < y.length; i += 1) {
    const row = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k += 1) max = Math.max(max, logits[row + k] / temperature);
    let sum = 0;
    for (let k = 0; k < K; k += 1) sum += Math.exp(logits[row + k] / temperature - max);
    s -= logits[row + y[i]] / temperature - max - Math.log(sum);
  }
  return s / y.length;
}

export function fitTemperature(logits: Float64Array, y: Int32Array, K: number): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  let c = hi - phi * (hi - lo);
  let d = lo + phi * (hi - lo);
  let fc = nll(logits, y, K, Math.exp(c));
  let fd = nll(logits, y, K, Math.exp(d));
  for (let iteration = 0; iteration < 60; iteration += 1) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - phi * (hi - lo);
      fc = nll(logits, y, K, Math.exp(c));
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + phi * (hi - lo);
      fd = nll(logits, y, K, Math.exp(d));
    }
  }
  return Math.exp((lo + hi) / 2);
}

export { nll as temperatureNll };
