// Shipped cold-start models. Lead score and escalation risk are weighted-rule priors (built in
// code); the ticket-category default is a trained artifact under libs/scoring/artifacts/, built by
// bench/scoring/build-default-ticket-artifact.ts from data/ (CC0 IT service tickets).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelArtifact } from '../artifact/artifact.types';
import { defaultEscalationRules, defaultLeadRules } from '../rules/default-rules';
import type { ScoringTask } from '../scoring.types';

export const DEFAULT_TICKET_ARTIFACT_FILE = 'ticket-category.default.json';

/** libs/scoring/artifacts, found from source (jest) and from the swc build in dist/ alike. */
export function defaultArtifactDir(): string {
  let dir = __dirname;
  for (let up = 0; up < 8; up += 1) {
    const candidate = path.join(dir, 'libs', 'scoring', 'artifacts');
    if (existsSync(path.join(candidate, DEFAULT_TICKET_ARTIFACT_FILE))) return candidate;
    const sibling = path.join(dir, 'artifacts');
    if (path.basename(dir) === 'scoring' && existsSync(path.join(sibling, DEFAULT_TICKET_ARTIFACT_FILE))) return sibling;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find libs/scoring/artifacts/${DEFAULT_TICKET_ARTIFACT_FILE} above ${__dirname}`);
}

let ticketDefault: ModelArtifact | undefined;

/** The cold-start model for a task (same object on every call: safe to cache compiled forms by identity). */
export function defaultArtifact(task: ScoringTask, options: { artifactDir?: string } = {}): ModelArtifact {
  if (task === 'lead-score') return leadPrior;
  if (task === 'escalation-risk') return escalationPrior;
  if (!ticketDefault || options.artifactDir) {
    const file = path.join(options.artifactDir ?? defaultArtifactDir(), DEFAULT_TICKET_ARTIFACT_FILE);
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as ModelArtifact;
    if (options.artifactDir) return parsed;
    ticketDefault = parsed;
  }
  return ticketDefault;
}

const leadPrior = defaultLeadRules();
const escalationPrior = defaultEscalationRules();
