/**
 * Tooling API: create a custom field (`POST tooling/sobjects/CustomField`) and read it back. A field
 * created here is not readable or writable by the integration user until FieldPermissions grant it,
 * which is the step real integrations forget.
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_customfield.htm
 */
import type { SandboxRouter } from '../common/sandbox-http';
import { SALESFORCE_NO_ACCESS_MESSAGE, salesforceApi, salesforceJsonBody, type SalesforceApiContext } from './salesforce-api';
import { SalesforceRequestError } from './salesforce-errors';
import { normalizeSalesforceId } from './salesforce-ids';
import { serializeSalesforceRecord } from './salesforce-query.routes';
import { field, type SalesforceFieldDef } from './salesforce-schema';

const DEVELOPER_NAME = /^[A-Za-z](?!.*__)[A-Za-z0-9_]{0,38}[A-Za-z0-9]?$/;

function integrity(message: string, fields: string[] = []): SalesforceRequestError {
  return new SalesforceRequestError(400, 'FIELD_INTEGRITY_EXCEPTION', message, fields);
}

function positiveInt(metadata: Record<string, unknown>, key: string, type: string): number {
  const value = metadata[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw integrity(`Must specify '${key}' (an integer) for a CustomField of type ${type}`, [key]);
  return value;
}

/** Metadata API field type → the REST/describe field definition. */
export function salesforceFieldFromMetadata(name: string, metadata: Record<string, unknown>): SalesforceFieldDef {
  const label = typeof metadata.label === 'string' && metadata.label.trim() ? metadata.label : undefined;
  if (!label) throw integrity("Must specify 'label' for a CustomField", ['label']);
  const type = String(metadata.type ?? '');
  const common = { label, needsFieldPermission: true, custom: true };
  switch (type) {
    case 'Number':
    case 'Percent':
    case 'Currency': {
      const precision = positiveInt(metadata, 'precision', type);
      const scale = positiveInt(metadata, 'scale', type);
      if (precision < 1 || precision > 18 || scale > precision)
        throw integrity(`precision must be 1..18 and scale at most precision (got precision ${precision}, scale ${scale})`, [
          'precision',
          'scale',
        ]);
      return field(name, type === 'Number' ? 'double' : type === 'Percent' ? 'percent' : 'currency', { ...common, precision, scale });
    }
    case 'Text': {
      const length = positiveInt(metadata, 'length', type);
      if (length < 1 || length > 255) throw integrity(`length must be 1..255 for a Text field (got ${length})`, ['length']);
      return field(name, 'string', { ...common, length });
    }
    case 'TextArea':
      return field(name, 'textarea', { ...common, length: 255 });
    case 'LongTextArea': {
      const length = positiveInt(metadata, 'length', type);
      if (length < 256 || length > 131072)
        throw integrity(`length must be 256..131072 for a LongTextArea field (got ${length})`, ['length']);
      if (metadata.visibleLines === undefined)
        throw integrity("Must specify 'visibleLines' for a CustomField of type LongTextArea", ['visibleLines']);
      return field(name, 'textarea', { ...common, length });
    }
    case 'Checkbox': {
      if (metadata.defaultValue !== 'true' && metadata.defaultValue !== 'false' && typeof metadata.defaultValue !== 'boolean') {
        throw integrity("Must specify 'defaultValue' ('true' or 'false') for a CustomField of type Checkbox", ['defaultValue']);
      }
      return field(name, 'boolean', { ...common, nillable: false, defaultValue: String(metadata.defaultValue) === 'true' });
    }
    case 'Picklist': {
      const valueSet = metadata.valueSet as
        { restricted?: boolean; valueSetDefinition?: { value?: Array<{ fullName?: string }> } } | undefined;
      const values = (valueSet?.valueSetDefinition?.value ?? []).map((v) => v.fullName).filter((v): v is string => typeof v === 'string');
      if (!values.length)
        throw integrity('A Picklist field needs valueSet.valueSetDefinition.value[] with at least one {fullName, label}', ['valueSet']);
      return field(name, 'picklist', { ...common, picklistValues: values, restrictedPicklist: valueSet?.restricted === true });
    }
    case 'Date':
      return field(name, 'date', common);
    case 'DateTime':
      return field(name, 'datetime', common);
    default:
      throw integrity(
        `Unsupported or missing field type '${type}' (supported: Number, Percent, Currency, Text, TextArea, LongTextArea, Checkbox, Picklist, Date, DateTime)`,
        ['type'],
      );
  }
}

export function mountSalesforceTooling(router: SandboxRouter, ctx: SalesforceApiContext): void {
  const { store } = ctx;
  const customFields = () => store.toolingTable('CustomField')!;

  router.add(
    'POST',
    '/services/data/:version/tooling/sobjects/CustomField',
    salesforceApi(ctx, (req, actor) => {
      if (!ctx.rights.customizeApplication)
        throw new SalesforceRequestError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', SALESFORCE_NO_ACCESS_MESSAGE, []);
      const body = salesforceJsonBody(req) as { FullName?: unknown; Metadata?: unknown };
      const fullName = typeof body?.FullName === 'string' ? body.FullName : '';
      const [objectName, fieldName, ...rest] = fullName.split('.');
      const table = objectName ? store.table(objectName) : undefined;
      if (!table || !fieldName || rest.length) {
        throw new SalesforceRequestError(
          400,
          'INVALID_FIELD',
          `FullName must be '<Object>.<Name>__c' on an existing object (Lead, Case), got '${fullName}'`,
          ['FullName'],
        );
      }
      const developerName = fieldName.replace(/__c$/, '');
      if (!fieldName.endsWith('__c') || !DEVELOPER_NAME.test(developerName)) {
        throw integrity(
          `Field name '${fieldName}' is invalid: it must end with __c, begin with a letter, use only letters, digits and single underscores, and have at most 40 characters before __c`,
          ['FullName'],
        );
      }
      if (table.field(fieldName)) {
        throw new SalesforceRequestError(
          400,
          'DUPLICATE_DEVELOPER_NAME',
          `There is already a field named ${developerName} on ${table.name}.`,
          ['FullName'],
        );
      }
      if (typeof body.Metadata !== 'object' || body.Metadata === null)
        throw integrity("Must specify 'Metadata' with label and type", ['Metadata']);
      const def = salesforceFieldFromMetadata(fieldName, body.Metadata as Record<string, unknown>);
      const row = store.insert(
        customFields(),
        {
          DeveloperName: developerName,
          TableEnumOrId: table.name,
          FullName: `${table.name}.${fieldName}`,
          Description: String((body.Metadata as Record<string, unknown>).description ?? '') || null,
        },
        actor.userId,
      );
      def.toolingId = row.Id;
      table.addField(def);
      if (def.type === 'boolean') for (const r of table.records) r[def.name] = def.defaultValue;
      return { status: 201, body: { id: row.Id, success: true, errors: [], warnings: [], infos: [] } };
    }),
  );

  router.add(
    'GET',
    '/services/data/:version/tooling/sobjects/CustomField/:id',
    salesforceApi(ctx, (req) => {
      const id = normalizeSalesforceId(req.params.id);
      const row = id ? customFields().get(id) : undefined;
      if (!row) throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return { status: 200, body: serializeSalesforceRecord(row, 'CustomField', [...customFields().fields.keys()], req.params.version) };
    }),
  );
}
