/**
 * `npm start` serves the built UI, building it when missing: the build (scripts/build-ui.mjs, a
 * no-op when dist is newer than the sources) runs in a child process after start-up, so the API is
 * up at once and the UI appears when Vite is done. Skipped under tests (they build explicitly).
 */
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FieldcastConfig } from '@fieldcast/config';
import { CONFIG, LOGGER, type FieldcastLogger } from '@fieldcast/runtime';
import { repositoryRoot, settingsUiDist } from './settings-ui.paths';

@Injectable()
export class SettingsUiBuilder implements OnApplicationBootstrap {
  constructor(
    @Inject(CONFIG) private readonly config: FieldcastConfig,
    @Inject(LOGGER) private readonly log: FieldcastLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.NODE_ENV === 'test' || existsSync(path.join(settingsUiDist(), 'index.html'))) return;
    const script = path.join(repositoryRoot(), 'scripts', 'build-ui.mjs');
    if (!existsSync(script)) return;
    this.log.info('the settings UI is not built yet: building it in the background (npm run build:ui)');
    const child = spawn(process.execPath, [script, '--quiet'], { cwd: repositoryRoot(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('exit', (code) => {
      if (code === 0) this.log.info('settings UI built: open the API URL in a browser');
      else this.log.warn({ stderr }, 'building the settings UI failed; run npm run build:ui to see why');
    });
    child.unref();
  }
}
