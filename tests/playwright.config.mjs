// Playwright e2e for the playground: the release build in dist/ (from `trunk build --release`), copied
// under /podstep/ and served by python's static server on 127.0.0.1, so every run also proves that the
// app works from a sub-path. Browsers are not downloaded: Debian's chromium is used.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.PODSTEP_E2E_PORT || 4173);

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.mjs',
  outputDir: './test-results',
  timeout: 30_000,
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}/podstep/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // Run from the repository root (one level up from this file).
    cwd: '..',
    command:
      'test -f dist/index.html || { echo "dist/ is missing: run trunk build --release (cargo xtask test does)" >&2; exit 1; }; ' +
      'rm -rf tests/.site && mkdir -p tests/.site && cp -r dist tests/.site/podstep && ' +
      `exec python3 -m http.server ${port} --bind 127.0.0.1 --directory tests/.site`,
    url: `http://127.0.0.1:${port}/podstep/`,
    reuseExistingServer: false,
    timeout: 20_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
});
