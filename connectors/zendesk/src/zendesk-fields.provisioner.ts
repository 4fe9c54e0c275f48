/**
 * Field provisioning: Fieldcast's write-back fields as Zendesk ticket fields, found by title and
 * created when missing (admins only; Zendesk has no per-field write permission, so an active field
 * of the right type that agents can edit is writable).
 * https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/#create-ticket-field
 */
import { ConnectorException, type FieldProvisionResult, type FieldSpec } from '@fieldcast/connector-sdk';
import { ZENDESK_FIELD_TYPE, zendeskOptionValue, type ZendeskFieldCatalog } from './mappers/zendesk-field-catalog';
import type { ZendeskCall } from './zendesk-call';
import type { ZendeskRawTicketField } from './zendesk-raw.types';

export const ZENDESK_TICKET_FIELDS_ENDPOINT = 'GET /api/v2/ticket_fields';
const GET_ALL_RETRY_AFTER_S = 2;

export async function listZendeskTicketFields(call: ZendeskCall): Promise<ZendeskRawTicketField[]> {
  return call<ZendeskRawTicketField[]>(ZENDESK_TICKET_FIELDS_ENDPOINT, 'read', async (client) => {
    // ticketfields.list() is getAll (follows next_page): it resolves to the flattened array without the
    // response, and a resolved 429 arrives as an Error element with the Retry-After header lost, so the
    // status is rebuilt here with a short assumed wait (Zendesk's windows are one minute at most).
    const list = (await client.ticketfields.list()) as unknown[];
    const failure = list.find((x): x is Error & { statusCode?: number } => x instanceof Error);
    if (failure)
      return {
        response: {
          status: failure.statusCode ?? 500,
          headers: { get: (h: string) => (h === 'retry-after' ? String(GET_ALL_RETRY_AFTER_S) : null) },
        },
        result: failure,
      };
    return { result: list };
  });
}

/** Why an existing field cannot hold a spec's values, or undefined when it can. */
export function zendeskFieldProblem(field: ZendeskRawTicketField, spec: FieldSpec): string | undefined {
  const wanted = ZENDESK_FIELD_TYPE[spec.type];
  if (field.active === false)
    return `the ticket field "${field.title}" (id ${field.id}) is inactive; activate it in Admin Center > Objects and rules > Tickets > Fields`;
  if (field.type !== wanted)
    return `the ticket field "${field.title}" (id ${field.id}) has type ${field.type}, Fieldcast writes ${wanted}; rename or delete it, or configure another field name`;
  if (field.agent_can_edit === false) return `agents cannot edit the ticket field "${field.title}" (id ${field.id}); allow agent editing`;
  return undefined;
}

export async function provisionZendeskFields(
  call: ZendeskCall,
  catalog: ZendeskFieldCatalog,
  specs: FieldSpec[],
): Promise<FieldProvisionResult> {
  const results: FieldProvisionResult['fields'] = [];
  for (const spec of specs) {
    const existing = catalog.byTitle(spec.name);
    if (existing) {
      const problem = zendeskFieldProblem(existing, spec);
      const missingOptions =
        spec.type === 'picklist' ? (spec.options ?? []).filter((o) => !existing.custom_field_options?.some((x) => x.name === o)) : [];
      results.push({
        key: spec.key,
        name: spec.name,
        status: problem ? 'failed' : 'exists',
        writable: !problem,
        message: problem ?? (missingOptions.length ? `options missing on Zendesk: ${missingOptions.join(', ')}` : undefined),
      });
      continue;
    }
    const draft: Record<string, unknown> = {
      type: ZENDESK_FIELD_TYPE[spec.type],
      title: spec.name,
      description: spec.description ?? spec.label,
    };
    if (spec.type === 'picklist') {
      if (!spec.options?.length) {
        results.push({ key: spec.key, name: spec.name, status: 'failed', writable: false, message: 'a picklist field needs options' });
        continue;
      }
      draft.custom_field_options = spec.options.map((name) => ({ name, value: zendeskOptionValue(name) }));
    }
    try {
      await call('POST /api/v2/ticket_fields', 'write', (client) => client.ticketfields.create({ ticket_field: draft }));
      results.push({ key: spec.key, name: spec.name, status: 'created', writable: true });
    } catch (error) {
      if (!(error instanceof ConnectorException) || !['PERMISSION', 'VALIDATION'].includes(error.code)) throw error;
      results.push({
        key: spec.key,
        name: spec.name,
        status: 'failed',
        writable: false,
        message:
          error.code === 'PERMISSION'
            ? `the integration user may not create ticket fields (${error.message}); make it an admin or create "${spec.name}" (${draft.type}) yourself`
            : error.message,
      });
    }
  }
  return { fields: results };
}
