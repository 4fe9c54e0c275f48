import { CronTime } from 'cron';

/** True when a cron occurrence falls after the last run and at or before now. */
export function cronIsDue(expression: string, lastRunAt: Date, now: Date): boolean {
  try {
    const next = new CronTime(expression).getNextDateFrom(lastRunAt).toJSDate();
    return next.getTime() <= now.getTime();
  } catch {
    return false;
  }
}
