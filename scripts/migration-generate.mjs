// Generates a migration from the difference between the entities and a scratch database that has all
// existing migrations applied. Usage: DATABASE_URL=postgres://…/scratch npm run migration:generate -- AddThing
import { spawnSync } from 'node:child_process';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- <PascalCaseName>');
  process.exit(2);
}
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs', '--quiet']);
run('npx', ['typeorm', 'migration:run', '-d', 'dist/libs/database/src/data-source.cli.js']);
run('npx', ['typeorm', 'migration:generate', `migrations/${name}`, '-d', 'dist/libs/database/src/data-source.cli.js', '--pretty']);
console.log(`Now add the new class to libs/database/src/migrations.ts.`);
