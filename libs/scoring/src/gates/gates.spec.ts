import { createRng } from '../evaluation/random';
import { checkDataGates } from './data-gates';
import { fitCheckBinary, fitCheckMulticlass } from './fit-check';

describe('data gates', () => {
  it('passes leads at exactly 1,000 rows with 120 converted and names the shortfall below', () => {
    const ok = Array.from({ length: 1000 }, (_, i) => (i < 120 ? 1 : 0));
    expect(checkDataGates('lead-score', ok).passed).toBe(true);
    const few = Array.from({ length: 1000 }, (_, i) => (i < 119 ? 1 : 0));
    const result = checkDataGates('lead-score', few);
    expect(result.passed).toBe(false);
    expect(result.reasons).toEqual(['119 positive labels, below the minimum of 120']);
  });

  it('lists the ticket classes under 50 examples', () => {
    const labels = [...Array(1000).fill('Hardware'), ...Array(49).fill('Storage'), ...Array(60).fill('Access')];
    const result = checkDataGates('ticket-category', labels);
    expect(result.passed).toBe(false);
    expect(result.reasons[0]).toContain('Storage (49)');
    expect(result.reasons[0]).not.toContain('Access');
  });
});

describe('fit check', () => {
  const rng = createRng(3);
  const n = 400;
  const y = Int32Array.from({ length: n }, () => (rng() < 0.4 ? 1 : 0));

  it('fails label-blind scores and passes informative ones', () => {
    const noise = Float64Array.from({ length: n }, () => rng());
    const blind = fitCheckBinary(noise, y, { permutations: 200 });
    expect(blind.passed).toBe(false);
    const informative = Float64Array.from(y, (label) => label + rng() * 1.5);
    const good = fitCheckBinary(informative, y, { permutations: 200 });
    expect(good.passed).toBe(true);
    expect(good.pValue).toBeLessThan(0.01);
  });

  it('multiclass: majority-class predictions fail, better-than-majority predictions pass', () => {
    const labels = Int32Array.from({ length: n }, () => Math.floor(rng() * 3));
    const majority = Int32Array.from({ length: n }, () => 0);
    expect(fitCheckMulticlass(majority, labels).passed).toBe(false);
    const mostlyRight = Int32Array.from(labels, (label) => (rng() < 0.7 ? label : (label + 1) % 3));
    expect(fitCheckMulticlass(mostlyRight, labels).passed).toBe(true);
  });
});
