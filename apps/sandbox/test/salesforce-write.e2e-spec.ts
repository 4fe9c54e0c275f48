/** composite/sobjects, single-record writes and Tooling field provisioning with field permissions, through the real jsforce. */
import type { Connection } from 'jsforce';
import { demoLeads, startSalesforceSandbox, type StartedSalesforceSandbox } from './salesforce-sandbox.helpers';

type LeadRow = { Id: string; Title: string; SystemModstamp: string; LastModifiedById: string };
type SaveResult = { id?: string; success: boolean; errors: Array<{ statusCode: string; message: string; fields: string[] }> };

describe('Salesforce sandbox: writes and field provisioning', () => {
  let sf: StartedSalesforceSandbox;
  let conn: Connection;
  let ids: string[];
  beforeAll(async () => {
    sf = await startSalesforceSandbox({ data: { leads: demoLeads(450), tickets: [] } });
  });
  afterAll(() => sf.sandbox.stop());
  beforeEach(async () => {
    await sf.control('POST', 'reset');
    conn = await sf.connect();
    ids = (await conn.query<LeadRow>('SELECT Id FROM Lead ORDER BY Id', { autoFetch: true })).records.map((r) => r.Id);
  });

  it('updates a collection with per-record results at HTTP 200 and stamps SystemModstamp / LastModifiedById', async () => {
    const creds = await sf.credentials();
    const before = (await sf.control<LeadRow>('GET', `records/Lead/${ids[0]}`)).body;
    const results = (await conn.sobject('Lead').update([
      { Id: ids[0], Title: 'CTO' },
      { Id: 'BAD', Title: 'x' },
      { Id: ids[1], NoSuchField__c: 1 },
      { Id: ids[2], Email: 'not-an-email' },
      { Id: ids[3], IsConverted: true },
      { Id: ids[4], Title: 'Head of Data' },
    ])) as SaveResult[];
    expect(results).toEqual([
      { id: ids[0], success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'Lead ID: id value of incorrect type: BAD', fields: ['Id'] }] },
      {
        success: false,
        errors: [
          { statusCode: 'INVALID_FIELD', message: "No such column 'NoSuchField__c' on sobject of type Lead", fields: ['NoSuchField__c'] },
        ],
      },
      {
        success: false,
        errors: [{ statusCode: 'INVALID_EMAIL_ADDRESS', message: 'Email: invalid email address: not-an-email', fields: ['Email'] }],
      },
      { success: false, errors: [expect.objectContaining({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['IsConverted'] })] },
      { id: ids[4], success: true, errors: [] },
    ]);
    const after = (await sf.control<LeadRow>('GET', `records/Lead/${ids[0]}`)).body;
    expect(after.Title).toBe('CTO');
    expect(after.LastModifiedById).toBe(creds.integrationUserId);
    expect(after.SystemModstamp > before.SystemModstamp).toBe(true);
    const other = (await sf.control<LeadRow>('GET', `records/Lead/${ids[4]}`)).body;
    expect(other.SystemModstamp).toBe(after.SystemModstamp);
    const writes = (
      await sf.control<{ writes: Array<{ object: string; id: string; fields: Record<string, unknown>; by: string }> }>('GET', 'writes')
    ).body.writes;
    expect(writes.map((w) => [w.id, w.fields, w.by])).toEqual([
      [ids[0], { Title: 'CTO' }, creds.integrationUserId],
      [ids[4], { Title: 'Head of Data' }, creds.integrationUserId],
    ]);
  });

  it('rolls every record back with allOrNone when one is invalid', async () => {
    const results = (await conn.sobject('Lead').update(
      [
        { Id: ids[0], Title: 'A' },
        { Id: ids[1], NumberOfEmployees: 'many' },
      ],
      { allOrNone: true },
    )) as SaveResult[];
    expect(results[0]).toEqual({
      id: ids[0],
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(results[1].errors[0]).toMatchObject({ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['NumberOfEmployees'] });
    expect((await sf.control<LeadRow>('GET', `records/Lead/${ids[0]}`)).body.Title).not.toBe('A');
    expect((await sf.control<{ total: number }>('GET', 'writes')).body.total).toBe(0);
  });

  it('rejects more than 200 records with EXCEEDED_ID_LIMIT; jsforce allowRecursive splits into 200s', async () => {
    const records = ids.slice(0, 201).map((Id) => ({ Id, Title: 'Bulk' }));
    await expect(conn.sobject('Lead').update(records)).rejects.toMatchObject({
      errorCode: 'EXCEEDED_ID_LIMIT',
      message: 'record limit reached. cannot submit more than 200 records into this call',
    });
    expect((await sf.control<{ total: number }>('GET', 'writes')).body.total).toBe(0);
    const all = ids.map((Id) => ({ Id, Title: 'Bulk' }));
    const results = (await conn.sobject('Lead').update(all, { allowRecursive: true })) as SaveResult[];
    expect(results).toHaveLength(450);
    expect(results.every((r) => r.success)).toBe(true);
    const stats = (await sf.control<{ calls: Record<string, number> }>('GET', 'stats')).body;
    expect(stats.calls['PATCH /services/data/:version/composite/sobjects']).toBe(4); // 1 rejected + 200 + 200 + 50
  });

  it('updates, reads and creates single records', async () => {
    const updated = await conn.sobject('Lead').update({ Id: ids[7], Title: 'Solo' });
    expect(updated).toEqual({ id: ids[7], success: true, errors: [] });
    const lead = (await conn.sobject('Lead').retrieve(ids[7])) as unknown as LeadRow & { attributes: unknown };
    expect(lead.Title).toBe('Solo');
    await expect(conn.sobject('Lead').update({ Id: ids[7], Nope__c: 1 })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(conn.sobject('Lead').retrieve('00Q5G000000ZZZZZZZ')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    const created = await conn.sobject('Lead').create({ LastName: 'New', Company: 'Acme' });
    expect(created).toMatchObject({ success: true, id: expect.stringMatching(/^00Q/) });
    const missing = await conn
      .sobject('Lead')
      .create({ LastName: 'New' })
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING' });
  });

  it('keeps a field created through the Tooling API invisible and unwritable until FieldPermissions grant it', async () => {
    const creds = await sf.credentials();
    const created = await conn.tooling.sobject('CustomField').create({
      FullName: 'Lead.Fieldcast_Lead_Score__c',
      Metadata: { label: 'Fieldcast Lead Score', type: 'Number', precision: 5, scale: 2 },
    });
    expect(created).toMatchObject({ success: true, id: expect.stringMatching(/^00N/) });
    const duplicate = await conn.tooling
      .sobject('CustomField')
      .create({ FullName: 'Lead.Fieldcast_Lead_Score__c', Metadata: { label: 'x', type: 'Number', precision: 5, scale: 2 } })
      .catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ errorCode: 'DUPLICATE_DEVELOPER_NAME' });
    const badType = await conn.tooling
      .sobject('CustomField')
      .create({ FullName: 'Lead.Other__c', Metadata: { label: 'x', type: 'Number' } })
      .catch((e: unknown) => e);
    expect(badType).toMatchObject({ errorCode: 'FIELD_INTEGRITY_EXCEPTION' });
    expect((badType as Error).message).toContain("Must specify 'precision'");

    conn.describe$.clear();
    const hidden = await conn.sobject('Lead').describe();
    expect(hidden.fields.map((f) => f.name)).not.toContain('Fieldcast_Lead_Score__c');
    await expect(conn.query('SELECT Id, Fieldcast_Lead_Score__c FROM Lead')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    let results = (await conn.sobject('Lead').update([{ Id: ids[0], Fieldcast_Lead_Score__c: 87.5 }])) as SaveResult[];
    expect(results[0].errors[0].statusCode).toBe('INVALID_FIELD');

    const assignments = await conn.query<{ PermissionSetId: string }>(
      `SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${creds.integrationUserId}'`,
    );
    expect(assignments.records.map((r) => r.PermissionSetId)).toEqual([creds.permissionSetId]);
    const grant = await conn.sobject('FieldPermissions').create({
      ParentId: creds.permissionSetId,
      SobjectType: 'Lead',
      Field: 'Lead.Fieldcast_Lead_Score__c',
      PermissionsRead: true,
      PermissionsEdit: false,
    });
    expect(grant.success).toBe(true);
    const readable = await conn.query<{ Fieldcast_Lead_Score__c: number | null }>('SELECT Id, Fieldcast_Lead_Score__c FROM Lead LIMIT 1');
    expect(readable.records[0].Fieldcast_Lead_Score__c).toBeNull();
    results = (await conn.sobject('Lead').update([{ Id: ids[0], Fieldcast_Lead_Score__c: 87.5 }])) as SaveResult[];
    expect(results[0].errors[0]).toMatchObject({ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Fieldcast_Lead_Score__c'] });

    const again = await conn
      .sobject('FieldPermissions')
      .create({ ParentId: creds.permissionSetId, SobjectType: 'Lead', Field: 'Lead.Fieldcast_Lead_Score__c', PermissionsRead: true })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    await conn.sobject('FieldPermissions').update({ Id: grant.id!, PermissionsEdit: true });
    results = (await conn.sobject('Lead').update([
      { Id: ids[0], Fieldcast_Lead_Score__c: 87.456 },
      { Id: ids[1], Fieldcast_Lead_Score__c: 1234 },
    ])) as SaveResult[];
    expect(results[0]).toEqual({ id: ids[0], success: true, errors: [] });
    expect(results[1].errors[0]).toMatchObject({ statusCode: 'NUMBER_OUTSIDE_VALID_RANGE' });
    expect((await sf.control<Record<string, unknown>>('GET', `records/Lead/${ids[0]}`)).body.Fieldcast_Lead_Score__c).toBe(87.46);
    conn.describe$.clear();
    const visible = await conn.sobject('Lead').describe();
    expect(visible.fields.find((f) => f.name === 'Fieldcast_Lead_Score__c')).toMatchObject({
      type: 'double',
      soapType: 'xsd:double',
      custom: true,
      precision: 5,
      scale: 2,
      updateable: true,
    });
    const fields = await conn.tooling.query<{ DeveloperName: string; TableEnumOrId: string }>(
      "SELECT Id, DeveloperName, TableEnumOrId FROM CustomField WHERE TableEnumOrId = 'Lead'",
    );
    expect(fields.records.map((r) => r.DeveloperName)).toEqual(['Fieldcast_Lead_Score']);
  });
});
