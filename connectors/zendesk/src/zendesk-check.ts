/**
 * check(): can Fieldcast work with this Zendesk account? Credentials (who are we), read access to
 * tickets, every write-back field present, active, of the right type, and the category field the
 * labels come from. Messages say what was found and how to fix it.
 */
import type { CheckItem, CheckResult, FieldSpec } from '@fieldcast/connector-sdk';
import { ConnectorException } from '@fieldcast/connector-sdk';
import { ZendeskFieldCatalog } from './mappers/zendesk-field-catalog';
import type { ZendeskCall } from './zendesk-call';
import { listZendeskTicketFields, zendeskFieldProblem } from './zendesk-fields.provisioner';
import type { ZendeskRawUser } from './zendesk-raw.types';

export async function checkZendeskConnection(
  call: ZendeskCall,
  specs: FieldSpec[],
  categoryFieldId: number | undefined,
): Promise<CheckResult> {
  const checks: CheckItem[] = [];
  let me: ZendeskRawUser;
  try {
    // https://developer.zendesk.com/api-reference/ticketing/users/users/#show-self
    me = await call<ZendeskRawUser>('GET /api/v2/users/me', 'read', (client) => client.users.me());
  } catch (error) {
    if (error instanceof ConnectorException && (error.code === 'AUTH_EXPIRED' || error.code === 'PERMISSION' || error.code === 'CONFIG')) {
      return {
        ok: false,
        checks: [
          {
            name: 'credentials',
            status: 'fail',
            message: error.message,
            fix: 'Reconnect Zendesk with an admin agent email and a valid API token, or re-authorize OAuth.',
          },
        ],
      };
    }
    throw error;
  }
  checks.push({
    name: 'credentials',
    status: 'pass',
    message: `Connected as ${me.name ?? ''} <${me.email ?? ''}> (${me.role ?? 'unknown role'})`,
  });
  if (me.role !== 'admin')
    checks.push({
      name: 'admin role',
      status: 'fail',
      message: `${me.email} is a ${me.role}: Zendesk allows the incremental ticket export (how Fieldcast syncs) and ticket-field creation for admins only`,
      fix: 'Give the integration user the admin role in Admin Center > People > Team members, or connect with an admin.',
    });

  // https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#list-tickets
  await call('GET /api/v2/tickets', 'read', (client) => client.tickets.get(['tickets', { page: { size: 1 } }]));
  checks.push({ name: 'read tickets', status: 'pass', message: 'Tickets can be read' });

  // https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/#list-ticket-fields
  const catalog = new ZendeskFieldCatalog(await listZendeskTicketFields(call));
  for (const spec of specs) {
    const field = catalog.byTitle(spec.name);
    if (!field) {
      checks.push({
        name: `field ${spec.key}`,
        status: 'fail',
        message: `No ticket field titled "${spec.name}": Fieldcast cannot write ${spec.label}`,
        fix: 'Run field provisioning, or create a ticket field with exactly this title in Admin Center > Objects and rules > Tickets > Fields.',
      });
      continue;
    }
    const problem = zendeskFieldProblem(field, spec);
    checks.push(
      problem
        ? {
            name: `field ${spec.key}`,
            status: 'fail',
            message: problem,
            fix: 'Fix the field in Zendesk Admin Center, then run the check again.',
          }
        : { name: `field ${spec.key}`, status: 'pass', message: `"${spec.name}" is ticket field ${field.id} (${field.type}), writable` },
    );
  }
  const category = categoryFieldId !== undefined ? catalog.byId(categoryFieldId) : catalog.byTitle('Category');
  checks.push(
    category
      ? {
          name: 'category labels',
          status: 'pass',
          message: `Training categories come from the ticket field "${category.title}" (${category.id})`,
        }
      : {
          name: 'category labels',
          status: 'warn',
          message: 'No category ticket field found: ticket categories are learned from the ticket type only',
          fix: 'Set options.categoryFieldId to the id of the field your agents categorise tickets with.',
        },
  );
  return {
    ok: checks.every((c) => c.status !== 'fail'),
    checks,
    identity: { userId: String(me.id), name: me.name },
  };
}
