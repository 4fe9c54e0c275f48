/**
 * Seeded randomness for the demo data generator. mulberry32 is a few integer ops per number, which is
 * what lets the generator produce a million records in a couple of seconds; Math.random would make
 * the data set differ on every run and break "same seed, same records".
 */
export class DemoRandom {
  private state: number;

  constructor(seed: number) {
    // Mix the seed so that neighbouring seeds (1, 2, 3) do not start with correlated sequences.
    this.state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Approximately standard normal; the sum of three uniforms is close enough for noise and far cheaper than Box-Muller. */
  normal(): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2;
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }
}

/** A categorical distribution precomputed once, so drawing from it is a short scan with no allocation. */
export class WeightedChoice<T> {
  private readonly cumulative: number[];
  readonly values: readonly T[];

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    if (entries.length === 0) throw new Error('WeightedChoice needs at least one entry');
    this.values = entries.map(([value]) => value);
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let running = 0;
    this.cumulative = entries.map(([, weight]) => (running += weight / total));
  }

  /** Index of the drawn value (lets callers keep parallel arrays of effects). */
  index(random: DemoRandom): number {
    const u = random.next();
    const c = this.cumulative;
    for (let i = 0; i < c.length - 1; i++) if (u < (c[i] as number)) return i;
    return c.length - 1;
  }

  draw(random: DemoRandom): T {
    return this.values[this.index(random)] as T;
  }
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
