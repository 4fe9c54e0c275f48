import type { ScoringTask } from '@fieldcast/connector-sdk';

/** The cold-start models shipped with Fieldcast (libs/scoring artifacts), per task. */
export function shippedDefaultArtifact(_task: ScoringTask): unknown {
  return undefined;
}
