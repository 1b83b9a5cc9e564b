// What a person sees in the playground: the sample checks clean, an error typed into the manifest is
// listed on the right line, clicking it moves the caret there, and fixing it clears the list.
import { test, expect } from '@playwright/test';

/** Fails the test on any page error or console error (a panic in the wasm shows up as one). */
function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** 1-based number of the first line of `text` that contains `needle`. */
function lineOf(text, needle) {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  expect(index, `a line containing ${needle}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

/** The 1-based line the textarea's caret is on. */
async function caretLine(editor) {
  return editor.evaluate((el) => el.value.slice(0, el.selectionStart).split('\n').length);
}

test('the sample loads and checks without errors', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Podstep', level: 1 })).toBeVisible();
  const editor = page.getByRole('textbox', { name: 'Manifest' });
  await expect(editor).toHaveValue(/kind: Pod/);
  await expect(page.locator('.problems .summary')).toHaveText('No problems');
  await expect(page.locator('.problem.error')).toHaveCount(0);
  await expect(page.locator('.workload-table tbody tr')).toHaveText([/Pod\s*shop\s*shop\s*1\s*1\s*1/]);
  expect(errors).toEqual([]);
});

test('an emptied image is reported on its line, and fixing it clears it', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('./');
  const editor = page.getByRole('textbox', { name: 'Manifest' });
  await expect(editor).toHaveValue(/image: nginx:1\.27/);
  const text = await editor.inputValue();
  const line = lineOf(text, 'image: nginx:1.27');

  // Select " nginx:1.27" and delete it with the keyboard, as a person would.
  const start = text.indexOf(' nginx:1.27');
  await editor.focus();
  await editor.evaluate((el, [s, e]) => el.setSelectionRange(s, e), [start, start + ' nginx:1.27'.length]);
  await page.keyboard.press('Backspace');
  await expect(editor).toHaveValue(/\n    image:\n/);

  const problem = page.locator('.problem.error button', { hasText: 'spec.containers[0].image' });
  await expect(problem).toHaveCount(1);
  await expect(problem).toHaveText(new RegExp(`^${line}:\\d+ error spec\\.containers\\[0\\]\\.image: `));

  // Clicking the problem puts the caret on its line.
  await editor.evaluate((el) => el.setSelectionRange(0, 0));
  await problem.click();
  await expect.poll(() => caretLine(editor)).toBe(line);
  await expect(editor).toBeFocused();

  // Type the image back: the problem goes away.
  await page.keyboard.press('End');
  await page.keyboard.type(' nginx:1.27');
  await expect(editor).toHaveValue(/image: nginx:1\.27/);
  await expect(page.locator('.problems .summary')).toHaveText('No problems');
  expect(errors).toEqual([]);
});

test('a YAML syntax error is located', async ({ page }) => {
  await page.goto('./');
  const editor = page.getByRole('textbox', { name: 'Manifest' });
  await editor.fill('apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n');
  await expect(page.locator('.problem.error').first()).toContainText('YAML syntax error');
  await expect(page.locator('.workload-table')).toHaveCount(0);
});

test('the main screen, for the README', async ({ page }, testInfo) => {
  await page.goto('./');
  await expect(page.locator('.problems .summary')).toHaveText('No problems');
  // Kept in test-results on every run; written to docs/ only when asked, so runs leave the tree clean.
  await page.screenshot({ path: testInfo.outputPath('screenshot.png') });
  if (process.env.PODSTEP_UPDATE_SCREENSHOT === '1') {
    await page.screenshot({ path: new URL('../docs/screenshot.png', import.meta.url).pathname });
  }
});
