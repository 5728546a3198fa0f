// examples/browser built with Vite (its own vite.config.js, through `witbind/vite`), served over
// HTTP on the loopback interface, and opened in headless Chromium (Debian's `chromium`, driven by
// playwright-core): the page hosts the machine guest as a core module and as a component and
// shows the results, which are checked; a screenshot is kept in test-artifacts/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GUESTS, guestComponent } from '../component/support.js';
import { ensureDist, root } from '../support/dist.js';

const example = join(root, 'examples', 'browser');
const artifacts = join(root, 'test-artifacts');

/** Debian's chromium (apt-get install chromium; .ci/run installs it), or CHROMIUM_PATH. */
function chromiumPath(): string {
  const path = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`headless Chromium is needed at ${path}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return path;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/** A static file server for `dir` on 127.0.0.1 (an ephemeral port). */
async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(dir, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

const expected = {
  'get-u32()': 42,
  'get-str()': 'Hello, wörld! ✓ 🚀',
  'get-vec()': [0, 1, 2, 127, 128, 255],
  'run(7, (1,2), (10,20))': 'machine 7 moved from (1, 2) to (10, 20): distance 27',
  "count-symbols('naïve café 🚀')": 12,
  'run with x = -1': 'RangeError: start.x: expected u32 (an integer in [0, 4294967295]), got -1',
};


// dist/ (the plugins and the runtime they bundle) is rebuilt here when src/ is newer.
beforeAll(() => ensureDist());
describe('examples/browser', () => {
  it('runs the machine guest as a core module and as a component in headless Chromium', async () => {
    const executablePath = chromiumPath();
    ensureDist();
    // What `node examples/browser/prepare.mjs` writes (from the test cache here).
    mkdirSync(join(example, 'generated'), { recursive: true });
    writeFileSync(join(example, 'generated', 'machine.component.wasm'), await guestComponent(GUESTS[0]!));

    const { build } = await import('vite');
    const out = mkdtempSync(join(tmpdir(), 'witbind-browser-'));
    await build({ root: example, configFile: join(example, 'vite.config.js'), logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });

    const { chromium } = await import('playwright-core');
    const { server, url } = await serve(out);
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
      const consoleErrors: string[] = [];
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      await page.goto(url);
      await page.waitForSelector('body[data-status="done"]');
      const results = await page.evaluate(() => (window as unknown as { results: unknown }).results);
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'browser-example.png'), fullPage: true });

      expect(consoleErrors).toEqual([]);
      expect(results).toEqual({ core: expected, component: expected });
      expect(await page.locator('#core').getAttribute('class')).toBe('ok');
      expect(await page.locator('#component').textContent()).toContain('get-str() = "Hello, wörld! ✓ 🚀"');
    } finally {
      await browser.close();
      server.close();
    }
  });
});
