// Measures the playground's time budgets on the release build in dist/ (not a test: nothing is
// asserted, the numbers are printed with the budgets beside them). Run from the repository root after
// `trunk build --release`:
//
//   node tests/measure.mjs [loads=15] [edits=30]
//
// - load → first timeline: `performance.mark('podstep:first-timeline')`, which the app sets once the
//   first timeline is on screen, in ms since navigation start, over fresh page loads from 127.0.0.1;
// - keystroke → repaint: for each gallery example, a character typed into (then removed from) its first
//   comment line, from the input event until the app has re-rendered and the browser has recomputed
//   style and layout (what is left, painting, is the browser's; waiting for the next frame would only
//   measure the 60 Hz frame clock). Every such edit re-runs check → simulate → fold and redraws.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const loads = Number(process.argv[2] || 15);
const edits = Number(process.argv[3] || 30);
const port = Number(process.env.PODSTEP_MEASURE_PORT || 4199);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => `${x.toFixed(1)} ms`;

const site = mkdtempSync(join(tmpdir(), 'podstep-measure-'));
cpSync('dist', join(site, 'podstep'), { recursive: true });
const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', site], {
  stdio: 'ignore',
});
await new Promise((r) => setTimeout(r, 600));
const url = `http://127.0.0.1:${port}/podstep/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  const first = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('podstep:first-timeline').length > 0);
    first.push(await page.evaluate(() => performance.getEntriesByName('podstep:first-timeline')[0].startTime));
    await context.close();
  }
  console.log(`load → first timeline: median ${fmt(median(first))}, min ${fmt(Math.min(...first))}, max ${fmt(Math.max(...first))} over ${loads} loads (budget 250 ms)`);

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('.timeline-svg');
  const ids = await page.locator('.gallery select option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  const all = [];
  for (const id of ids) {
    await page.locator('.gallery select').selectOption(id);
    await page.waitForTimeout(100);
    const times = await page.evaluate(async (n) => {
      const area = document.querySelector('textarea');
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const task = () => new Promise((r) => setTimeout(r, 0));
      const pos = area.value.indexOf('\n');
      const out = [];
      for (let i = 0; i < n; i++) {
        await frame();
        const t0 = performance.now();
        if (i % 2 === 0) area.setRangeText('x', pos, pos, 'end');
        else area.setRangeText('', pos - 1, pos, 'end');
        area.dispatchEvent(new InputEvent('input', { bubbles: true }));
        // Yew renders in a microtask after the handler; then style and layout, forced here.
        await task();
        document.querySelector('.timeline-svg')?.getBoundingClientRect();
        document.body.getBoundingClientRect();
        out.push(performance.now() - t0);
      }
      return out;
    }, edits);
    all.push(...times);
    console.log(`  ${id.padEnd(26)} keystroke → repaint median ${fmt(median(times))}, max ${fmt(Math.max(...times))}`);
  }
  console.log(`keystroke → repaint: median ${fmt(median(all))} over ${all.length} edits on ${ids.length} gallery examples (budget 8 ms)`);
  await context.close();
} finally {
  await browser.close();
  server.kill();
  rmSync(site, { recursive: true, force: true });
}
