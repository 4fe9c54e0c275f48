import { existsSync } from 'node:fs';
import path from 'node:path';

/** The repository root: found from this file in the sources (apps/api/src/…) or the build (dist/apps/api/src/…). */
export function repositoryRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (
      existsSync(path.join(dir, 'apps', 'settings-ui', 'package.json')) ||
      existsSync(path.join(dir, 'apps', 'settings-ui', 'index.html'))
    )
      return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function settingsUiDist(): string {
  return path.join(repositoryRoot(), 'apps', 'settings-ui', 'dist');
}
