import { DemoRandom } from '../data/demo-random';
import { HubSpotPropertyRegistry } from './hubspot-properties';
import { HubSpotSearchEngine, parseHubSpotSearch } from './hubspot-search';
import { HubSpotObjectStore } from './hubspot-store';

const source = { changeSource: 'INTEGRATION', sourceId: '1' };
const BASE = Date.parse('2026-01-01T00:00:00Z');

describe('HubSpot search range index', () => {
  it('answers a range on the modified date exactly as the full scan does, through writes, touches, archives and creates', () => {
    for (const seed of [1, 2, 3]) {
      // Seeded, so a failure replays.
      const random = new DemoRandom(seed);
      const rnd = () => random.next();
      const store = new HubSpotObjectStore('contacts', new HubSpotPropertyRegistry('contacts'));
      const engine = new HubSpotSearchEngine(store);
      // Few distinct instants, so ties (equal modified dates) are everywhere.
      const instant = () => BASE + Math.floor(rnd() * 40) * 1000;
      for (let i = 0; i < 400; i++) {
        const at = instant();
        store.insertSeeded({ email: `c${i}@example.com`, lastmodifieddate: new Date(at).toISOString() }, at, at);
      }
      const ids = () => store.all().map((r) => r.id);
      const compare = (body: Record<string, unknown>) => {
        const parsed = parseHubSpotSearch(store, body);
        if (!parsed.ok) throw new Error(parsed.message);
        const full = engine.run(parsed.query);
        const answer = engine.search(parsed.query);
        expect(answer.total).toBe(full.length);
        for (const [offset, limit] of [
          [0, 10_000],
          [0, 7],
          [13, 25],
        ] as const)
          expect(answer.page(offset, limit).map((r) => r.id)).toEqual(full.slice(offset, offset + limit).map((r) => r.id));
      };
      for (let round = 0; round < 30; round++) {
        for (let op = 0; op < 15; op++) {
          const all = ids();
          const id = all[Math.floor(rnd() * all.length)]!;
          const roll = rnd();
          if (roll < 0.45) store.update(id, { jobtitle: `t${op}` }, source, instant() + 40_000 * (rnd() < 0.8 ? 1 : 0));
          else if (roll < 0.7) store.touch(id, instant());
          else if (roll < 0.85) store.archive(id, source, instant());
          else store.create({ email: `n${round}-${op}@example.com` }, source, instant() + 40_000);
        }
        const t = new Date(instant()).toISOString();
        const u = new Date(instant() + 20_000).toISOString();
        const sorts = [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }];
        compare({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GT', value: t }] }], sorts });
        compare({
          filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(Date.parse(t)) }] }],
          sorts,
        });
        compare({
          filterGroups: [
            {
              filters: [
                { propertyName: 'lastmodifieddate', operator: 'GT', value: t },
                { propertyName: 'lastmodifieddate', operator: 'LTE', value: u },
              ],
            },
          ],
          sorts,
        });
        compare({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'EQ', value: t }] }], sorts });
        compare({
          filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'BETWEEN', value: t, highValue: u }] }],
          sorts,
        });
      }
    }
  });
});
