// Entry for the TypeORM CLI (migration:generate / migration:show), used through `npm run migration:generate`.
// Reads DATABASE_URL directly because the TypeORM CLI loads this file on its own, outside the app.
import { createDataSource } from './data-source.factory';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must point at a scratch PostgreSQL database to generate migrations against');

export const dataSource = createDataSource({ url, applicationName: 'fieldcast-cli' });
