import type { ScoringTask } from '@fieldcast/scoring';

/** The tasks of the scoring API; an API key's scopes name some of them. */
export const SCORING_API_TASKS: readonly ScoringTask[] = ['lead-score', 'ticket-category', 'escalation-risk'];

export function isScoringTask(value: string): value is ScoringTask {
  return (SCORING_API_TASKS as readonly string[]).includes(value);
}
