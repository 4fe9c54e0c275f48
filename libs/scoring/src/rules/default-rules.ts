// Cold-start priors for lead score and escalation risk: transparent weighted rules over canonical
// field names (connectors map vendor fields onto these names). The weights are hand-set log-odds
// from common B2B sales / support practice — not fitted to anyone's data, and labelled as such —
// and are replaced by a trained model once a connection passes the data gates and the fit check.
import { ARTIFACT_FORMAT_VERSION, type RulesArtifact, type TierThresholds } from '../artifact/artifact.types';
import type { FieldSpec } from '../scoring.types';
import { rulesSchemaHash } from './rules.model';

const logit = (p: number): number => Math.log(p / (1 - p));

const PRIOR_THRESHOLDS: TierThresholds = {
  // Fixed cut-offs on the prior's probability; no held-out data exists for a prior.
  tiers: { A: 0.5, B: 0.3, C: 0.15, heldOut: [] },
  confidence: { high: 0.9, medium: 0.75, heldOut: [] },
};

export const LEAD_FIELDS: FieldSpec[] = [
  { name: 'leadSource', type: 'categorical', label: 'Lead source' },
  { name: 'lastActivityAt', type: 'date', label: 'Last activity' },
  { name: 'email', type: 'text', label: 'Email' },
  { name: 'phone', type: 'text', label: 'Phone' },
  { name: 'title', type: 'text', label: 'Job title' },
  { name: 'emailOptOut', type: 'boolean', label: 'Email opt-out' },
  { name: 'numberOfEmployees', type: 'numeric', label: 'Employees' },
  { name: 'pageViews', type: 'numeric', label: 'Page views' },
  { name: 'status', type: 'categorical', label: 'Lead status' },
];

export const ESCALATION_FIELDS: FieldSpec[] = [
  { name: 'priority', type: 'categorical', label: 'Priority' },
  { name: 'subject', type: 'text', label: 'Subject' },
  { name: 'description', type: 'text', label: 'Description' },
  { name: 'reopenCount', type: 'numeric', label: 'Reopens' },
  { name: 'replyCount', type: 'numeric', label: 'Replies' },
  { name: 'customerTier', type: 'categorical', label: 'Customer tier' },
  { name: 'createdAt', type: 'date', label: 'Created' },
  { name: 'channel', type: 'categorical', label: 'Channel' },
];

const URGENT_WORDS = ['outage', 'down', 'urgent', 'asap', 'not working', 'cannot', "can't", 'broken', 'critical', 'escalate', 'emergency'];
const CHURN_WORDS = ['cancel', 'refund', 'legal', 'lawyer', 'complaint', 'unacceptable', 'switch to'];

function rulesArtifact(
  task: RulesArtifact['task'],
  fields: FieldSpec[],
  baseRate: number,
  items: RulesArtifact['rules']['items'],
  notes: string,
): RulesArtifact {
  return {
    formatVersion: ARTIFACT_FORMAT_VERSION,
    kind: 'rules',
    task,
    modelId: `${task}-prior`,
    version: '1.0.0',
    trainedAt: '2026-11-28T00:00:00.000Z',
    trainingSize: 0,
    metrics: {},
    status: { autoWriteAllowed: true, reasons: ['cold-start prior: hand-set weights, not fitted to this connection'] },
    provenance: { source: 'rules', producedBy: 'libs/scoring/src/rules/default-rules.ts', notes },
    thresholds: PRIOR_THRESHOLDS,
    featureSchema: { fields, hash: rulesSchemaHash(fields) },
    rules: { intercept: logit(baseRate), items },
  };
}

export function defaultLeadRules(): RulesArtifact {
  return rulesArtifact(
    'lead-score',
    LEAD_FIELDS,
    0.12,
    [
      {
        id: 'source-referral',
        field: 'leadSource',
        when: { op: 'in', values: ['Referral', 'Partner', 'Customer Referral'] },
        weight: 0.9,
        reason: 'Lead source = Referral/Partner',
      },
      {
        id: 'source-webinar',
        field: 'leadSource',
        when: { op: 'in', values: ['Webinar', 'Event', 'Trade Show', 'Seminar'] },
        weight: 0.6,
        reason: 'Lead source = Webinar/Event',
      },
      {
        id: 'source-web',
        field: 'leadSource',
        when: { op: 'in', values: ['Web', 'Website', 'Organic Search', 'Demo Request'] },
        weight: 0.3,
        reason: 'Lead source = Website',
      },
      {
        id: 'source-list',
        field: 'leadSource',
        when: { op: 'in', values: ['Purchased List', 'List Import', 'Cold Call'] },
        weight: -0.7,
        reason: 'Lead source = Purchased list/Cold call',
      },
      {
        id: 'recent-activity',
        field: 'lastActivityAt',
        when: { op: 'withinDays', days: 7 },
        weight: 0.6,
        reason: 'Activity in the last 7 days',
      },
      {
        id: 'stale-activity',
        field: 'lastActivityAt',
        when: { op: 'olderThanDays', days: 30 },
        weight: -0.7,
        reason: 'No activity in 30 days',
      },
      { id: 'no-email', field: 'email', when: { op: 'missing' }, weight: -0.6, reason: 'No email address' },
      { id: 'has-phone', field: 'phone', when: { op: 'present' }, weight: 0.2, reason: 'Phone number given' },
      {
        id: 'senior-title',
        field: 'title',
        when: {
          op: 'containsAny',
          terms: ['director', 'vp', 'vice president', 'head of', 'chief', 'cto', 'ceo', 'cfo', 'owner', 'founder'],
        },
        weight: 0.4,
        reason: 'Senior job title',
      },
      { id: 'opted-out', field: 'emailOptOut', when: { op: 'equals', value: true }, weight: -0.5, reason: 'Opted out of email' },
      {
        id: 'company-size',
        field: 'numberOfEmployees',
        when: { op: 'gte', value: 200 },
        weight: 0.3,
        reason: 'Company with 200+ employees',
      },
      { id: 'engaged', field: 'pageViews', when: { op: 'gte', value: 10 }, weight: 0.5, reason: '10+ page views' },
      {
        id: 'unqualified',
        field: 'status',
        when: { op: 'in', values: ['Unqualified', 'Disqualified', 'Junk'] },
        weight: -2,
        reason: 'Status = Unqualified',
      },
    ],
    'Prior for leads before a connection has ≥ 1,000 leads with ≥ 120 converted; base rate 12%.',
  );
}

export function defaultEscalationRules(): RulesArtifact {
  return rulesArtifact(
    'escalation-risk',
    ESCALATION_FIELDS,
    0.1,
    [
      {
        id: 'priority-high',
        field: 'priority',
        when: { op: 'in', values: ['urgent', 'high', 'critical', 'p1', 'p2'] },
        weight: 1,
        reason: 'Priority = High/Urgent',
      },
      { id: 'priority-low', field: 'priority', when: { op: 'in', values: ['low', 'p4'] }, weight: -0.6, reason: 'Priority = Low' },
      {
        id: 'urgent-subject',
        field: 'subject',
        when: { op: 'containsAny', terms: URGENT_WORDS },
        weight: 0.7,
        reason: 'Subject sounds urgent (outage, not working, …)',
      },
      {
        id: 'urgent-description',
        field: 'description',
        when: { op: 'containsAny', terms: URGENT_WORDS },
        weight: 0.5,
        reason: 'Description sounds urgent',
      },
      {
        id: 'churn-language',
        field: 'description',
        when: { op: 'containsAny', terms: CHURN_WORDS },
        weight: 0.8,
        reason: 'Mentions cancelling, refunds or legal action',
      },
      { id: 'reopened', field: 'reopenCount', when: { op: 'gte', value: 1 }, weight: 0.7, reason: 'Ticket was reopened' },
      { id: 'long-thread', field: 'replyCount', when: { op: 'gte', value: 5 }, weight: 0.4, reason: '5+ replies' },
      {
        id: 'key-customer',
        field: 'customerTier',
        when: { op: 'in', values: ['enterprise', 'premium', 'vip', 'platinum'] },
        weight: 0.5,
        reason: 'Key customer tier',
      },
      { id: 'aging', field: 'createdAt', when: { op: 'olderThanDays', days: 3 }, weight: 0.4, reason: 'Open for more than 3 days' },
      { id: 'phone-channel', field: 'channel', when: { op: 'in', values: ['phone', 'voice'] }, weight: 0.3, reason: 'Came in by phone' },
    ],
    'Prior for escalation before a connection has ≥ 120 escalated tickets; base rate 10%.',
  );
}
