/**
 * The Zendesk tickets stream: feeds ticket category and escalation risk. Labels: the configured
 * category field (or `type`), and escalation = priority raised to urgent, an `escalated` tag, or a
 * move to a tier-2 group. Write-back fields are ticket fields Fieldcast provisions, addressed by title.
 */
import type { FieldSpec, StreamDescriptor } from '@fieldcast/connector-sdk';

export const ZENDESK_TICKET_FIELD_SPECS: FieldSpec[] = [
  {
    key: 'ticket_category',
    name: 'Fieldcast Category',
    label: 'Fieldcast Category',
    type: 'text',
    description: 'Category predicted by Fieldcast',
  },
  {
    key: 'escalation_risk',
    name: 'Fieldcast Escalation Risk',
    label: 'Fieldcast Escalation Risk',
    type: 'number',
    description: 'Probability (0-100) that this ticket gets escalated, predicted by Fieldcast',
  },
  {
    key: 'score_confidence',
    name: 'Fieldcast Score Confidence',
    label: 'Fieldcast Score Confidence',
    type: 'percent',
    description: 'Calibrated confidence of the Fieldcast prediction',
  },
  {
    key: 'score_reasons',
    name: 'Fieldcast Score Reasons',
    label: 'Fieldcast Score Reasons',
    type: 'long_text',
    description: 'Top factors behind the Fieldcast prediction',
  },
  {
    key: 'model_version',
    name: 'Fieldcast Model Version',
    label: 'Fieldcast Model Version',
    type: 'text',
    description: 'Model that produced the Fieldcast values',
  },
];

export const ZENDESK_TICKETS_STREAM: StreamDescriptor = {
  name: 'tickets',
  vendorObject: 'tickets',
  tasks: ['ticket-category', 'escalation-risk'],
  // The incremental export follows generated_timestamp (bumped on every change), not updated_at.
  cursorField: 'generated_timestamp',
  writeBatchMax: 100,
  scoringInputs: { customerTier: 'customer_tier', createdAt: 'created_at' },
  // Escalation = urgent priority, the escalated tag, or a tier-2 group (the mapper's `escalated`);
  // everything that reveals it, and `type` (the category's fallback), stays out of the features.
  trainingLabels: { 'ticket-category': { field: 'category' }, 'escalation-risk': { field: 'escalated', positiveValues: [true] } },
  trainingExclude: [
    'escalated',
    'escalated_tag',
    'in_tier2_group',
    'priority',
    'group_id',
    'tags',
    'status',
    'type',
    'assignee_id',
    'custom_fields',
  ],
  defaultFields: ZENDESK_TICKET_FIELD_SPECS,
};
