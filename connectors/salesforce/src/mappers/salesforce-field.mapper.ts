/**
 * FieldSpec → Tooling API CustomField metadata.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/customfield.htm
 */
import type { FieldSpec } from '@fieldcast/connector-sdk';

export type SalesforceCustomFieldMetadata = Record<string, unknown> & { label: string; type: string };

export function mapFieldSpecToSalesforceMetadata(spec: FieldSpec): SalesforceCustomFieldMetadata {
  const common = { label: spec.label, description: spec.description ?? 'Written by Fieldcast', inlineHelpText: spec.description };
  switch (spec.type) {
    case 'number':
      return { ...common, type: 'Number', precision: 18, scale: 4 };
    case 'percent':
      return { ...common, type: 'Percent', precision: 5, scale: 2 };
    case 'text':
      return { ...common, type: 'Text', length: 255 };
    case 'long_text':
      return { ...common, type: 'LongTextArea', length: 32768, visibleLines: 3 };
    case 'picklist':
      // Unrestricted: a new category from a retrained model must never make the write fail.
      return spec.options?.length
        ? {
            ...common,
            type: 'Picklist',
            valueSet: {
              restricted: false,
              valueSetDefinition: { sorted: false, value: spec.options.map((o) => ({ fullName: o, label: o, default: false })) },
            },
          }
        : { ...common, type: 'Text', length: 255 };
  }
}

const API_NAME = /^[A-Za-z](?!.*__.*__c$)[A-Za-z0-9_]{0,38}__c$/;

/** A clear error for a configured name Salesforce would reject, before any call is made. */
export function salesforceFieldNameProblem(name: string): string | undefined {
  if (!name.endsWith('__c')) return `'${name}' must end with __c (a custom field API name)`;
  const base = name.slice(0, -3);
  if (!API_NAME.test(name) || base.includes('__') || base.endsWith('_') || base.length > 40) {
    return `'${name}' is not a valid custom field API name: begin with a letter, use letters, digits and single underscores, at most 40 characters before __c`;
  }
  return undefined;
}
