import { cronProblem } from './cron-expression';

describe('cronProblem', () => {
  it.each(['*/15 * * * *', '0 8-18 * * MON-FRI', '5,35 */2 1 jan,jul 0', '0 0 * * 7'])('accepts %s', (expression) => {
    expect(cronProblem(expression)).toBeNull();
  });

  it.each([
    ['* * * *', 'expected 5 fields (minute hour day-of-month month day-of-week), got 4: e.g. "*/15 * * * *"'],
    ['61 * * * *', 'minute: 61 is outside 0-59'],
    ['* 24 * * *', 'hour: 24 is outside 0-23'],
    ['* * 0 * *', 'day of month: 0 is outside 1-31'],
    ['*/0 * * * *', 'minute: step must be 1 or more'],
    ['10-5 * * * *', 'minute: range "10-5" goes backwards'],
    ['* * * * FUNDAY', 'day of week: "FUNDAY" is not a number, range or *'],
  ])('refuses %s with a reason', (expression, reason) => {
    expect(cronProblem(expression)).toBe(reason);
  });
});
