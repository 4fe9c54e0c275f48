/**
 * Users, organizations, groups and tags: what a connector reads to describe a ticket's requester
 * (organization tier) and its group (tier 1 / tier 2), and /users/me for `check()`.
 * https://developer.zendesk.com/api-reference/ticketing/users/users/
 * https://developer.zendesk.com/api-reference/ticketing/groups/groups/
 */
import type { ZendeskApi } from './zendesk-api';
import { renderZendeskGroup, renderZendeskOrganization, renderZendeskUser } from './zendesk-directory';
import { zendeskJson, zendeskRecordNotFound } from './zendesk-errors';
import type { ZendeskStore } from './zendesk-store';

export function mountZendeskDirectoryRoutes(api: ZendeskApi, store: ZendeskStore): void {
  api.add('GET', '/api/v2/users/me{.json}', (_request, ctx) => zendeskJson(200, { user: renderZendeskUser(ctx.caller.user, ctx.baseUrl) }));

  api.add('GET', '/api/v2/users/:id{.json}', (request, ctx) => {
    const user = store.users.get(Number(request.params.id));
    return user ? zendeskJson(200, { user: renderZendeskUser(user, ctx.baseUrl) }) : zendeskRecordNotFound();
  });

  api.add('GET', '/api/v2/organizations/:id{.json}', (request, ctx) => {
    const organization = store.organizations.get(Number(request.params.id));
    return organization
      ? zendeskJson(200, { organization: renderZendeskOrganization(organization, ctx.baseUrl) })
      : zendeskRecordNotFound();
  });

  api.add(
    'GET',
    '/api/v2/groups{.json}',
    (_request, ctx) => {
      const groups = [...store.groups.values()].map((g) => renderZendeskGroup(g, ctx.baseUrl));
      return zendeskJson(200, {
        groups,
        meta: { has_more: false, after_cursor: null, before_cursor: null },
        links: { next: null, prev: null },
      });
    },
    { list: true },
  );

  api.add('GET', '/api/v2/groups/:id{.json}', (request, ctx) => {
    const group = store.groups.get(Number(request.params.id));
    return group ? zendeskJson(200, { group: renderZendeskGroup(group, ctx.baseUrl) }) : zendeskRecordNotFound();
  });

  api.add(
    'GET',
    '/api/v2/tags{.json}',
    () => {
      const counts = new Map<string, number>();
      for (const t of store.tickets.values())
        if (t.status !== 'deleted') for (const tag of t.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
      const tags = [...counts].sort((a, b) => b[1] - a[1]).map(([name, count]) => ({ name, count }));
      return zendeskJson(200, {
        tags,
        meta: { has_more: false, after_cursor: null, before_cursor: null },
        links: { next: null, prev: null },
      });
    },
    { list: true },
  );
}
