// Migrations live in /migrations at the repo root, generated from the entities with
// `npm run migration:generate -- <Name>`; this list registers them, oldest first.
import { Initial1795831229928 } from '../../../migrations/1795831229928-Initial';
import { WebhookPathSecretEncrypted1795844021414 } from '../../../migrations/1795844021414-WebhookPathSecretEncrypted';
import { OutboxRowPerRecord1795912000000 } from '../../../migrations/1795912000000-OutboxRowPerRecord';

export const MIGRATIONS = [Initial1795831229928, WebhookPathSecretEncrypted1795844021414, OutboxRowPerRecord1795912000000];
