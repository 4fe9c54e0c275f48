import { isoSeconds } from './demo-timeline';

describe('isoSeconds', () => {
  it('formats whole-second times exactly like Date.toISOString', () => {
    const samples = [0, Date.parse('2024-02-29T23:59:59Z'), Date.parse('2025-12-31T00:00:00Z'), Date.parse('2026-01-01T12:34:56Z')];
    for (let i = 0; i < 2000; i++) samples.push(Date.parse('2024-01-01T00:00:00Z') + Math.floor(i * 31_557.7) * 1000);
    for (const ms of samples) expect(isoSeconds(ms)).toBe(new Date(ms).toISOString());
  });
});
