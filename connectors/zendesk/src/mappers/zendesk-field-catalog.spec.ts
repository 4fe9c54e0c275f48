import { ZendeskFieldCatalog, zendeskOptionValue } from './zendesk-field-catalog';

describe('ZendeskFieldCatalog', () => {
  const catalog = new ZendeskFieldCatalog([
    { id: 1, type: 'decimal', title: 'Fieldcast Escalation Risk', active: false },
    { id: 2, type: 'decimal', title: 'fieldcast escalation risk', active: true },
    { id: 3, type: 'tagger', title: 'Fieldcast Category', custom_field_options: [{ name: 'Billing', value: 'fieldcast_billing' }] },
    { id: 4, type: 'text', title: 'Fieldcast Model Version' },
  ]);

  it('finds fields by title case-insensitively, preferring the active one', () => {
    expect(catalog.byTitle('Fieldcast Escalation Risk')?.id).toBe(2);
    expect(catalog.byTitle('nope')).toBeUndefined();
  });

  it('converts values both ways: decimals come back as strings, drop-downs by option name', () => {
    const risk = catalog.byId(2)!;
    const category = catalog.byId(3)!;
    expect(catalog.fromWire(risk, '0.82')).toBe(0.82);
    expect(catalog.fromWire(risk, null)).toBeNull();
    expect(catalog.fromWire(category, 'fieldcast_billing')).toBe('Billing');
    expect(catalog.toWire(risk, '0.5')).toEqual({ ok: true, value: 0.5 });
    expect(catalog.toWire(risk, 'high')).toEqual({ ok: false, message: 'fieldcast escalation risk is a number field; got "high"' });
    expect(catalog.toWire(category, 'Billing')).toEqual({ ok: true, value: 'fieldcast_billing' });
    expect(catalog.toWire(category, 'Shipping')).toMatchObject({ ok: false });
    expect(catalog.toWire(catalog.byId(4)!, 12)).toEqual({ ok: true, value: '12' });
  });

  it('makes tag-like option values', () => {
    expect(zendeskOptionValue(' Feature Request! ')).toBe('fieldcast_feature_request');
  });
});
