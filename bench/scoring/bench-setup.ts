// Shared plumbing for the scoring benches: find Debian's fasttext / python3-sklearn (install them
// with apt when missing and we are root, as issue 5 asks), run the python side, report absence.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';

function haveReferenceTools(): { sklearn: boolean; fasttext: boolean } {
  const sklearn = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import sklearn, numpy, scipy'], { stdio: 'ignore' }).status === 0;
  const fasttext = spawnSync('sh', ['-c', 'command -v fasttext'], { stdio: 'ignore' }).status === 0;
  return { sklearn, fasttext };
}

export function ensureReferenceTools(): { sklearn: boolean; fasttext: boolean; note: string } {
  let tools = haveReferenceTools();
  if (tools.sklearn && tools.fasttext) return { ...tools, note: 'fasttext and python3-sklearn present' };
  if (process.getuid?.() === 0 && process.env.FIELDCAST_BENCH_NO_APT !== '1') {
    console.log('installing Debian packages fasttext python3-sklearn with apt-get (once)…');
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fasttext python3-sklearn'], {
      stdio: 'inherit',
    });
    tools = haveReferenceTools();
  }
  return {
    ...tools,
    note: `${tools.fasttext ? 'fasttext present' : 'fasttext ABSENT'}, ${tools.sklearn ? 'python3-sklearn present' : 'python3-sklearn ABSENT'}`,
  };
}
