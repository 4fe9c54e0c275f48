/**
 * Which fields a connection's model may learn from. The scoring input copies vendor fields under
 * canonical names (scoringInputs: `status` ← `hs_lead_status`), so excluding only the vendor name
 * is not enough: the copy would carry the same value into training. A label leak (a field that moves
 * with the outcome, like a lead status that becomes OPEN_DEAL when the lead converts) gives a model a
 * held-out AUC near 1.0 that is worthless on new records.
 */
import type { ScoringTask, StreamDescriptor } from '@fieldcast/connector-sdk';

export interface TrainingFieldPolicy {
  /** Field names (vendor or canonical) never used as features. */
  exclude: Set<string>;
  /** Canonical names kept even when sparse (the fields the default models use). */
  keep: Set<string>;
}

export function trainingFieldPolicy(stream: StreamDescriptor, task: ScoringTask): TrainingFieldPolicy {
  const exclude = new Set<string>([
    ...(stream.trainingExclude ?? []),
    ...stream.defaultFields.map((f) => f.name),
    ...Object.values(stream.trainingLabels ?? {}).map((rule) => rule!.field),
  ]);
  const label = stream.trainingLabels?.[task]?.field;
  if (label) exclude.add(label);
  const keep = new Set<string>();
  for (const [canonical, vendorField] of Object.entries(stream.scoringInputs ?? {})) {
    if (exclude.has(vendorField)) {
      // The copy of an excluded field is excluded with it.
      exclude.add(canonical);
    } else {
      keep.add(canonical);
      // One feature per value: the canonical copy stays, the vendor-named duplicate goes.
      if (vendorField !== canonical) exclude.add(vendorField);
    }
  }
  return { exclude, keep };
}
