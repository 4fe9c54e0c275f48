import type { ScoringTask } from '@fieldcast/connector-sdk';
import { defaultArtifact } from '@fieldcast/scoring';

/**
 * The cold-start models shipped with Fieldcast (libs/scoring: transparent rules for lead score and
 * escalation, a ticket-category model trained on public data), used until a connection's own model
 * passes the data gates. Undefined when an artifact file is missing from this installation.
 */
export function shippedDefaultArtifact(task: ScoringTask): unknown {
  try {
    return defaultArtifact(task);
  } catch {
    return undefined;
  }
}
