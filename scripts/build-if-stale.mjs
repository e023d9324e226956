// Before `npm start`, `npm run register`, `npm run doctor`…: build dist/ when it is missing or older than the sources,
// so a newcomer's first `npm start` just works and a restart does not compile again. Plain JavaScript on purpose: it
// runs where TypeScript is not installed (a production install, `npm ci --omit=dev`), and there it only checks that
// dist/ exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.tsbuildinfo');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** The newest modification time of the TypeScript sources under `dir` (0 when there are none). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith('.ts')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'commands')),
  ...['package.json', 'tsconfig.json', 'tsconfig.build.json']
    .map((f) => join(root, f))
    .filter(existsSync)
    .map((f) => statSync(f).mtimeMs),
);
const built =
  existsSync(stamp) && existsSync(join(root, 'dist', 'src', 'main.js')) ? statSync(stamp).mtimeMs : 0;

if (built && built >= sources) process.exit(0);
if (!existsSync(tsc)) {
  if (built) {
    // A production install: the sources may be newer (a checkout) but nothing here can compile them.
    process.stderr.write(
      'dist/ is older than the sources, and TypeScript is not installed: starting the build in dist/.\n',
    );
    process.exit(0);
  }
  process.stderr.write(
    'dist/ is missing and TypeScript is not installed (a production install).\n' +
      'Build where the dev dependencies are installed (`npm ci && npm run build`) and copy dist/ here.\n',
  );
  process.exit(1);
}
process.stderr.write(built ? 'sources changed: building (npm run build)…\n' : 'building (npm run build)…\n');
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.status !== 0) process.exit(result.status ?? 1);
// tsc leaves its build info untouched when nothing changed: mark the build as current.
const now = new Date();
utimesSync(stamp, now, now);
