/**
 * Doc comments (resolve-json.md "Docs"; wasm-tools `Resolver::docs`). Every comment directly
 * before an item is part of its docs, whatever its form (`//`, `///`, `/* *\/`, `/** *\/`), and
 * blank lines between the comments and the item do not break the association.
 */

/**
 * Turns the comments before an item (their raw text, in order) into the docs string, or null when
 * there are none:
 * 1. `/** … *\/` loses `/**` and `*\/`; any other comment loses all its leading `/`
 *    (so `/* x *\/` becomes `* x *\/`);
 * 2. each comment loses its trailing whitespace;
 * 3. the smallest leading-whitespace width among non-empty comments is computed, and that many
 *    spaces are removed from the start of each comment that starts with them;
 * 4. empty comments become empty lines, others contribute their lines (`\r\n` → `\n`);
 * 5. trailing newlines are dropped.
 */
export function processDocs(comments: readonly string[]): string | null {
  if (comments.length === 0) return null;
  let docs = comments.map((raw) => {
    let text: string;
    if (raw.startsWith('/**')) {
      text = raw.slice(3);
      if (text.endsWith('*/')) text = text.slice(0, -2);
    } else {
      text = raw.replace(/^\/+/, '');
    }
    return text.trimEnd();
  });

  let minLeading = Infinity;
  for (const doc of docs) {
    if (doc.length === 0) continue;
    const leading = /^[ \t\n\f\r]*/.exec(doc)![0].length;
    minLeading = Math.min(minLeading, leading);
  }
  if (minLeading !== Infinity && minLeading > 0) {
    const prefix = ' '.repeat(minLeading);
    docs = docs.map((doc) => (doc.startsWith(prefix) ? doc.slice(minLeading) : doc));
  }

  let contents = '';
  for (const doc of docs) {
    if (doc.length === 0) {
      contents += '\n';
      continue;
    }
    for (const line of splitLines(doc)) contents += `${line}\n`;
  }
  return contents.replace(/\n+$/, '');
}

/** Rust's `str::lines`: split on `\n`, drop one trailing `\r` per line, no final empty line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
