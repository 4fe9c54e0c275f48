/**
 * The job queue: pg-boss on the same PostgreSQL (SELECT … FOR UPDATE SKIP LOCKED), so any number of
 * worker processes on any number of machines share the work and no job runs twice at once.
 * The API role only sends; the worker role also works and supervises.
 */
import { PgBoss } from 'pg-boss';

export const QUEUE_NAMES = {
  sync: 'fieldcast-sync',
  score: 'fieldcast-score',
  writeback: 'fieldcast-writeback',
  webhook: 'fieldcast-webhook',
  retrain: 'fieldcast-retrain',
  diagnostic: 'fieldcast-diagnostic',
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/**
 * Jobs whose worker sends no heartbeat for this long are failed and retried by another worker, so a
 * sync whose worker was killed (kill -9, OOM, lost machine) resumes within about a minute instead of
 * waiting out expireInSeconds (an hour). The worker sends heartbeats from its event loop; retrain and
 * diagnostic jobs have none because training keeps the loop busy for minutes on large histories.
 */
const HEARTBEAT_SECONDS: Partial<Record<QueueName, number>> = {
  [QUEUE_NAMES.sync]: 30,
  [QUEUE_NAMES.score]: 30,
  [QUEUE_NAMES.writeback]: 30,
  [QUEUE_NAMES.webhook]: 30,
};

export interface JobQueueOptions {
  url: string;
  role: 'producer' | 'worker';
  applicationName?: string;
  onError?: (error: Error) => void;
}

export interface SendOptions {
  /** At most one queued job per key (e.g. one sync per connection and stream). */
  singletonKey?: string;
  startAfterSeconds?: number;
  retryLimit?: number;
  priority?: number;
}

export interface QueueJob<T> {
  id: string;
  data: T;
  retryCount: number;
  signal: AbortSignal;
}

export class JobQueue {
  private constructor(private readonly boss: PgBoss) {}

  static async start(options: JobQueueOptions): Promise<JobQueue> {
    const isWorker = options.role === 'worker';
    const boss = new PgBoss({
      connectionString: options.url,
      application_name: options.applicationName ?? `fieldcast-${options.role}`,
      max: isWorker ? 6 : 3,
      // Only workers run maintenance and cron; producers just send.
      supervise: isWorker,
      // How often workers look for jobs whose heartbeat stopped (see HEARTBEAT_SECONDS).
      superviseIntervalSeconds: 20,
      schedule: isWorker,
      migrate: true,
    });
    boss.on('error', (error) => options.onError?.(error));
    await boss.start();
    const queue = new JobQueue(boss);
    await queue.ensureQueues();
    return queue;
  }

  private async ensureQueues(): Promise<void> {
    const existing = new Map((await this.boss.getQueues()).map((q) => [q.name, q]));
    for (const name of Object.values(QUEUE_NAMES)) {
      const heartbeatSeconds = HEARTBEAT_SECONDS[name] ?? null;
      const current = existing.get(name);
      if (current) {
        // Queues created by an older version get the heartbeat too.
        if ((current.heartbeatSeconds ?? null) !== heartbeatSeconds) await this.boss.updateQueue(name, { heartbeatSeconds });
        continue;
      }
      await this.boss
        .createQueue(name, {
          retryLimit: 5,
          retryDelay: 2,
          retryBackoff: true,
          retryDelayMax: 300,
          expireInSeconds: 3600,
          deleteAfterSeconds: 7 * 86400,
          ...(heartbeatSeconds ? { heartbeatSeconds } : {}),
        })
        .catch((error: Error) => {
          // Two processes starting at once may race to create the same queue; the loser is fine.
          if (!/already exists|duplicate key/i.test(error.message)) throw error;
        });
    }
  }

  async send<T extends object>(queue: QueueName, data: T, options: SendOptions = {}): Promise<string | null> {
    // pg-boss validates present keys, so absent options must be left out rather than set to undefined.
    const sendOptions: Record<string, string | number> = {};
    if (options.singletonKey !== undefined) sendOptions['singletonKey'] = options.singletonKey;
    if (options.startAfterSeconds !== undefined) sendOptions['startAfter'] = options.startAfterSeconds;
    if (options.retryLimit !== undefined) sendOptions['retryLimit'] = options.retryLimit;
    if (options.priority !== undefined) sendOptions['priority'] = options.priority;
    return this.boss.send(queue, data, sendOptions);
  }

  /**
   * Many jobs in one statement (pg-boss insert): webhook ingress stores a batch of events and must
   * answer fast, and one round trip per job is most of its cost.
   */
  async sendMany<T extends object>(queue: QueueName, jobs: Array<{ data: T; options?: SendOptions }>): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      queue,
      jobs.map(({ data, options = {} }) => {
        const job: Record<string, unknown> = { data };
        if (options.singletonKey !== undefined) job['singletonKey'] = options.singletonKey;
        if (options.startAfterSeconds !== undefined) job['startAfter'] = new Date(Date.now() + options.startAfterSeconds * 1000);
        if (options.retryLimit !== undefined) job['retryLimit'] = options.retryLimit;
        if (options.priority !== undefined) job['priority'] = options.priority;
        return job as { data: object };
      }),
    );
  }

  /** Registers a handler; `concurrency` jobs of this queue run at once in this process. */
  async work<T extends object>(
    queue: QueueName,
    options: { concurrency?: number; pollingIntervalSeconds?: number },
    handler: (job: QueueJob<T>) => Promise<unknown>,
  ): Promise<void> {
    const concurrency = options.concurrency ?? 1;
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<T>(queue, { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1 }, async ([job]) => {
        if (!job) return undefined;
        return handler({ id: job.id, data: job.data, retryCount: job.retryCount, signal: job.signal });
      });
    }
  }

  async depth(): Promise<Record<string, { queued: number; active: number; oldestQueuedSeconds: number | null }>> {
    const result: Record<string, { queued: number; active: number; oldestQueuedSeconds: number | null }> = {};
    for (const q of await this.boss.getQueues(Object.values(QUEUE_NAMES))) {
      const stats = q as unknown as { queuedCount?: number; activeCount?: number };
      result[q.name] = { queued: stats.queuedCount ?? 0, active: stats.activeCount ?? 0, oldestQueuedSeconds: null };
    }
    return result;
  }

  /** Health: can we reach the queue tables? */
  async ping(): Promise<void> {
    await this.boss.getQueues([QUEUE_NAMES.sync]);
  }

  /** Graceful: stop fetching, let running jobs finish (up to timeoutMs), then release the rest. */
  async stop(timeoutMs = 20_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}
