/**
 * Loading a binary from a URL in any host: `fetch` for http(s), `blob:` and `data:` URLs, the
 * file system for `file:` URLs (Node's `fetch` does not read files). Used by the `load()` helper
 * of component imports in the bundler plugins.
 *
 * @module
 */

/** The bytes at `url`: a `Response` to stream-compile, or the file's bytes for `file:` URLs. */
export async function fetchWasm(url: URL | string): Promise<Response | Uint8Array> {
  const u = new URL(url);
  if (u.protocol === 'file:') {
    // A computed specifier: bundlers for the browser must not try to bundle node:fs.
    const fs = 'node:fs/promises';
    const { readFile } = (await import(/* webpackIgnore: true */ /* @vite-ignore */ fs)) as {
      readFile(path: URL): Promise<Uint8Array>;
    };
    return new Uint8Array(await readFile(u));
  }
  const response = await fetch(u);
  if (!response.ok) throw new Error(`could not fetch ${u.href}: ${response.status} ${response.statusText}`);
  return response;
}
