/** Calls per endpoint as "METHOD /path-template" → count, plus rate-limit hits: GET /__sandbox/stats. */
export class SandboxStats {
  private calls = new Map<string, number>();
  private rateLimitHits = 0;

  countCall(template: string): void {
    this.calls.set(template, (this.calls.get(template) ?? 0) + 1);
  }

  countRateLimitHit(): void {
    this.rateLimitHits += 1;
  }

  totalCalls(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  reset(): void {
    this.calls.clear();
    this.rateLimitHits = 0;
  }

  toJSON(): { calls: Record<string, number>; totalCalls: number; rateLimitHits: number } {
    return { calls: Object.fromEntries(this.calls), totalCalls: this.totalCalls(), rateLimitHits: this.rateLimitHits };
  }
}
