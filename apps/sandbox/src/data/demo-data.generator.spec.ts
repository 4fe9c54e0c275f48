import { DEMO_REFERENCE_TIME, generateDemoData } from './demo-data.generator';
import type { DemoLead, DemoTicket } from './demo-data.types';

const DAY_MS = 86_400_000;

function rate<T>(items: T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

function conversionBy(leads: DemoLead[], key: (lead: DemoLead) => string): Map<string, number> {
  const groups = new Map<string, DemoLead[]>();
  for (const lead of leads) {
    const k = key(lead);
    const group = groups.get(k) ?? [];
    group.push(lead);
    groups.set(k, group);
  }
  return new Map([...groups].map(([k, group]) => [k, rate(group, (l) => l.converted)]));
}

/** A plain multinomial naive Bayes: if it can learn the categories, the signal is in the text. */
function naiveBayesAccuracy(tickets: DemoTicket[]): number {
  const words = (t: DemoTicket) => `${t.subject} ${t.description}`.toLowerCase().match(/[a-z]+/g) ?? [];
  const labelled = tickets.filter((t) => t.category !== null);
  const cut = Math.floor(labelled.length * 0.8);
  const counts = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const priors = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const t of labelled.slice(0, cut)) {
    const c = t.category as string;
    priors.set(c, (priors.get(c) ?? 0) + 1);
    const m = counts.get(c) ?? new Map<string, number>();
    counts.set(c, m);
    for (const w of words(t)) {
      vocabulary.add(w);
      m.set(w, (m.get(w) ?? 0) + 1);
      totals.set(c, (totals.get(c) ?? 0) + 1);
    }
  }
  const test = labelled.slice(cut);
  let correct = 0;
  for (const t of test) {
    let best = '';
    let bestScore = -Infinity;
    for (const [c, m] of counts) {
      let score = Math.log(priors.get(c) as number);
      for (const w of words(t)) score += Math.log(((m.get(w) ?? 0) + 1) / ((totals.get(c) as number) + vocabulary.size));
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    if (best === t.category) correct += 1;
  }
  return correct / test.length;
}

describe('generateDemoData', () => {
  const data = generateDemoData({ leads: 12_000, tickets: 12_000, seed: 7 });

  it('is deterministic: the same options give identical records, another seed gives others', () => {
    const a = generateDemoData({ leads: 500, tickets: 500, seed: 11 });
    const b = generateDemoData({ leads: 500, tickets: 500, seed: 11 });
    const c = generateDemoData({ leads: 500, tickets: 500, seed: 12 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.leads[0]).not.toEqual(a.leads[0]);
    expect(c.tickets[0]).not.toEqual(a.tickets[0]);
  });

  it('keeps leads unchanged when only the ticket count changes', () => {
    const few = generateDemoData({ leads: 300, tickets: 10, seed: 3 });
    const many = generateDemoData({ leads: 300, tickets: 900, seed: 3 });
    expect(many.leads).toEqual(few.leads);
  });

  it('produces the requested counts with unique keys and unique emails', () => {
    expect(data.leads).toHaveLength(12_000);
    expect(data.tickets).toHaveLength(12_000);
    expect(new Set(data.leads.map((l) => l.key)).size).toBe(12_000);
    expect(new Set(data.leads.map((l) => l.email)).size).toBe(12_000);
    expect(new Set(data.tickets.map((t) => t.key)).size).toBe(12_000);
    expect(data.leads[0]?.key).toBe('lead-000001');
    expect(generateDemoData({ leads: 0, tickets: 0, seed: 1 })).toEqual({ leads: [], tickets: [] });
  });

  it('rejects bad options with a message naming the option and the expected value', () => {
    expect(() => generateDemoData({ leads: -1, tickets: 1, seed: 1 })).toThrow(
      /options\.leads must be a whole number from 0 to 1000000, got -1/,
    );
    expect(() => generateDemoData({ leads: 1, tickets: 2.5, seed: 1 })).toThrow(/options\.tickets .* got 2\.5/);
    expect(() => generateDemoData({ leads: 1, tickets: 1_000_001, seed: 1 })).toThrow(/options\.tickets/);
    expect(() => generateDemoData({ leads: 1, tickets: 1, seed: Number.NaN })).toThrow(/options\.seed must be an integer/);
    expect(() => generateDemoData({ leads: 1, tickets: 1, seed: 1, referenceTime: 'yesterday' })).toThrow(
      /options\.referenceTime must be an ISO date-time .* got "yesterday"/,
    );
  });

  it('spreads timestamps over two years before the reference time, in key order, with ties', () => {
    const reference = Date.parse(DEMO_REFERENCE_TIME);
    for (const records of [data.leads, data.tickets]) {
      const created = records.map((r) => Date.parse(r.createdAt));
      expect(Math.min(...created)).toBeGreaterThanOrEqual(reference - 731 * DAY_MS);
      expect(Math.min(...created)).toBeLessThan(reference - 700 * DAY_MS);
      expect(Math.max(...created)).toBeLessThanOrEqual(reference);
      expect(Math.max(...created)).toBeGreaterThan(reference - 2 * DAY_MS);
      expect(created.every((t, i) => i === 0 || t >= (created[i - 1] as number))).toBe(true);
      const ties = created.filter((t, i) => i > 0 && t === created[i - 1]).length;
      expect(ties).toBeGreaterThan(records.length * 0.01);
      expect(records.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(r.createdAt))).toBe(true);
    }
    expect(data.tickets.every((t) => t.updatedAt >= t.createdAt && Date.parse(t.updatedAt) <= reference)).toBe(true);
    expect(data.leads.every((l) => (l.updatedAt as string) >= l.createdAt)).toBe(true);
    const moved = generateDemoData({ leads: 10, tickets: 10, seed: 7, referenceTime: '2030-06-01T00:00:00Z' });
    expect(moved.leads[9]?.createdAt.startsWith('2030-')).toBe(true);
  });

  it('gives leads a realistic conversion rate that depends on source, title, industry, size and engagement', () => {
    const overall = rate(data.leads, (l) => l.converted);
    expect(overall).toBeGreaterThan(0.1);
    expect(overall).toBeLessThan(0.35);
    const bySource = conversionBy(data.leads, (l) => l.source);
    expect(bySource.get('Referral')).toBeGreaterThan(2.5 * (bySource.get('Purchased List') as number));
    const byTitle = conversionBy(data.leads, (l) =>
      /^C[A-Z]O$|^VP/.test(l.title) ? 'executive' : l.title === 'Student' ? 'student' : 'other',
    );
    expect(byTitle.get('executive')).toBeGreaterThan(2 * (byTitle.get('student') as number));
    const byIndustry = conversionBy(data.leads, (l) => l.industry);
    expect(byIndustry.get('Technology')).toBeGreaterThan(1.5 * (byIndustry.get('Non-Profit') as number));
    const bySize = conversionBy(data.leads, (l) =>
      l.employees <= 10 ? 'tiny' : l.employees > 200 && l.employees <= 1000 ? 'mid' : 'other',
    );
    expect(bySize.get('mid')).toBeGreaterThan(1.5 * (bySize.get('tiny') as number));
    const byEngagement = conversionBy(data.leads, (l) => (l.websiteVisits >= 8 && l.daysSinceLastActivity < 14 ? 'engaged' : 'other'));
    expect(byEngagement.get('engaged')).toBeGreaterThan(1.5 * (byEngagement.get('other') as number));
    // Lifecycle history agrees with the label.
    expect(data.leads.every((l) => l.converted === ['opportunity', 'customer'].includes(l.lifecycleStage))).toBe(true);
    expect(data.leads.every((l) => l.converted === (l.leadStatus === 'Closed - Converted'))).toBe(true);
  });

  it('writes ticket categories into the text so they are learnable but not trivially separable', () => {
    const categories = new Set(data.tickets.map((t) => t.category).filter((c) => c !== null));
    expect(categories.size).toBeGreaterThanOrEqual(6);
    expect(categories.size).toBeLessThanOrEqual(10);
    const uncategorised = rate(data.tickets, (t) => t.category === null);
    expect(uncategorised).toBeGreaterThan(0.03);
    expect(uncategorised).toBeLessThan(0.25);
    const accuracy = naiveBayesAccuracy(data.tickets);
    expect(accuracy).toBeGreaterThan(0.8);
    expect(accuracy).toBeLessThan(0.95);
    const billing = data.tickets.filter((t) => t.category === 'Billing');
    const others = data.tickets.filter((t) => t.category !== null && t.category !== 'Billing');
    const mentionsInvoice = (t: DemoTicket) => /invoice|charge|billing/i.test(`${t.subject} ${t.description}`);
    expect(rate(billing, mentionsInvoice)).toBeGreaterThan(3 * rate(others, mentionsInvoice));
  });

  it('escalates tickets by priority, wording, tier and waiting time, and records priority raises', () => {
    const tickets = data.tickets;
    const escalated = rate(tickets, (t) => t.escalated);
    expect(escalated).toBeGreaterThan(0.05);
    expect(escalated).toBeLessThan(0.35);
    const escalationRate = (predicate: (t: DemoTicket) => boolean) => rate(tickets.filter(predicate), (t) => t.escalated);
    const angry = /unacceptable|frustrated|third time|competitor|terrible|Nobody has answered/;
    expect(escalationRate((t) => angry.test(t.description))).toBeGreaterThan(1.5 * escalationRate((t) => !angry.test(t.description)));
    expect(escalationRate((t) => t.initialPriority === 'urgent')).toBeGreaterThan(2 * escalationRate((t) => t.initialPriority === 'low'));
    expect(escalationRate((t) => t.customerTier === 'enterprise')).toBeGreaterThan(1.5 * escalationRate((t) => t.customerTier === 'free'));
    // Waiting time is confounded with tier and priority (urgent and enterprise tickets are answered first): compare within one stratum.
    const stratum = (t: DemoTicket) => t.customerTier === 'standard' && t.initialPriority === 'normal';
    expect(escalationRate((t) => stratum(t) && t.hoursToFirstReply > 24)).toBeGreaterThan(
      1.5 * escalationRate((t) => stratum(t) && t.hoursToFirstReply < 4),
    );
    const raised = (t: DemoTicket) => t.priority !== t.initialPriority;
    expect(
      rate(
        tickets.filter((t) => t.escalated),
        raised,
      ),
    ).toBeGreaterThan(0.4);
    expect(
      rate(
        tickets.filter((t) => !t.escalated),
        raised,
      ),
    ).toBeLessThan(0.1);
    expect(tickets.every((t) => t.escalated === t.tags.includes('escalated'))).toBe(true);
    expect(new Set(tickets.map((t) => t.status))).toEqual(new Set(['new', 'open', 'pending', 'hold', 'solved', 'closed']));
  });
});
