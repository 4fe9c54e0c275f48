/**
 * The Zendesk sandbox's in-memory account: tickets, users, organizations, groups, ticket fields,
 * job statuses and webhooks, plus the append-only change log the incremental export reads.
 * The log is why export pages are cheap and stable: a change appends (timestamp, ticket, version);
 * a cursor is a position in the log, so records sharing one timestamp are neither lost nor repeated
 * across pages, and superseded entries are skipped when read.
 */
import type {
  ZendeskGroup,
  ZendeskJob,
  ZendeskOrganization,
  ZendeskTicketField,
  ZendeskTicketRecord,
  ZendeskUser,
  ZendeskWebhook,
} from './zendesk.types';

export interface ZendeskLogEntry {
  /** Epoch seconds (the ticket's generated_timestamp at that version). */
  ts: number;
  ticketId: number;
  version: number;
}

/** Zendesk keeps only the last 100 job statuses, each for an hour. */
export const ZENDESK_MAX_KEPT_JOBS = 100;
export const ZENDESK_JOB_TTL_MS = 3_600_000;

export class ZendeskStore {
  readonly tickets = new Map<number, ZendeskTicketRecord>();
  readonly users = new Map<number, ZendeskUser>();
  readonly usersByEmail = new Map<string, ZendeskUser>();
  readonly organizations = new Map<number, ZendeskOrganization>();
  readonly organizationsByName = new Map<string, ZendeskOrganization>();
  readonly groups = new Map<number, ZendeskGroup>();
  readonly ticketFields = new Map<number, ZendeskTicketField>();
  readonly jobs = new Map<string, ZendeskJob>();
  readonly webhooks = new Map<string, ZendeskWebhook>();
  /** Ticket ids ascending (ids only grow), for cursor-paginated listing with a binary search. */
  ticketIds: number[] = [];
  /** Incremental export log, ordered by append (and so by ts, see appendLog). */
  log: ZendeskLogEntry[] = [];
  /** Changes when the data is replaced, so cursors from an older data set are rejected, not misread. */
  epoch = 1;
  private nextTicketId = 1;
  private nextUserId = 20_000_001;
  private nextOrganizationId = 30_000_001;
  private nextAuditId = 40_000_000_001;
  private nextFieldId = 360_000_100_001;

  clearRecords(): void {
    this.tickets.clear();
    this.ticketIds = [];
    this.organizations.clear();
    this.organizationsByName.clear();
    for (const [id, user] of this.users) {
      if (user.role === 'end-user') {
        this.users.delete(id);
        this.usersByEmail.delete(user.email.toLowerCase());
      }
    }
    this.jobs.clear();
    this.log = [];
    this.epoch += 1;
    this.nextTicketId = 1;
  }

  newTicketId(): number {
    return this.nextTicketId++;
  }

  addTicket(ticket: ZendeskTicketRecord): void {
    this.tickets.set(ticket.id, ticket);
    this.ticketIds.push(ticket.id);
  }

  /** Position of the first id greater than `afterId` in ticketIds. */
  ticketIndexAfter(afterId: number): number {
    let lo = 0;
    let hi = this.ticketIds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ticketIds[mid]! <= afterId) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  newUserId(): number {
    return this.nextUserId++;
  }

  newOrganizationId(): number {
    return this.nextOrganizationId++;
  }

  newAuditId(): number {
    return this.nextAuditId++;
  }

  newFieldId(): number {
    return this.nextFieldId++;
  }

  addUser(user: ZendeskUser): ZendeskUser {
    this.users.set(user.id, user);
    this.usersByEmail.set(user.email.toLowerCase(), user);
    return user;
  }

  addOrganization(organization: ZendeskOrganization): ZendeskOrganization {
    this.organizations.set(organization.id, organization);
    this.organizationsByName.set(organization.name, organization);
    return organization;
  }

  /**
   * Records a ticket version in the export log. Live changes carry "now", which is never earlier
   * than the last entry, so the log stays sorted by time without re-sorting.
   */
  appendLog(ticket: ZendeskTicketRecord): void {
    const last = this.log.length ? this.log[this.log.length - 1]!.ts : 0;
    if (ticket.generatedTimestamp < last) ticket.generatedTimestamp = last;
    this.log.push({ ts: ticket.generatedTimestamp, ticketId: ticket.id, version: ticket.version });
  }

  /** Rebuilds the log from scratch after seeding: sorted by (timestamp, id), ties kept. */
  rebuildLog(): void {
    const entries: ZendeskLogEntry[] = [];
    for (const t of this.tickets.values()) entries.push({ ts: t.generatedTimestamp, ticketId: t.id, version: t.version });
    entries.sort((a, b) => a.ts - b.ts || a.ticketId - b.ticketId);
    this.log = entries;
  }

  /** Index of the first log entry with ts >= start (binary search). */
  logIndexAtOrAfter(startSeconds: number): number {
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid]!.ts < startSeconds) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  addJob(job: ZendeskJob): void {
    this.pruneJobs(job.createdAt);
    this.jobs.set(job.id, job);
    // Oldest first (Map keeps insertion order): Zendesk keeps only the last 100.
    while (this.jobs.size > ZENDESK_MAX_KEPT_JOBS) {
      const oldest = this.jobs.keys().next().value as string;
      this.jobs.delete(oldest);
    }
  }

  /** Drops job statuses older than an hour (Map order is creation order, so the old ones come first). */
  pruneJobs(now: number): void {
    for (const [id, job] of this.jobs) {
      if (now - job.createdAt < ZENDESK_JOB_TTL_MS) break;
      this.jobs.delete(id);
    }
  }

  countLiveTickets(): number {
    let n = 0;
    for (const t of this.tickets.values()) if (t.status !== 'deleted') n += 1;
    return n;
  }
}
