/**
 * Source files placed at global offsets, so that a `Span` is two numbers and every diagnostic can
 * be rendered as `--> file:line:col` with a snippet (wasm-tools' `SourceMap`/`Span`).
 */

/** A half-open range `[start, end)` of global offsets into a {@link SourceMap}. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One file of a {@link SourceMap}. */
export interface SourceFile {
  /** Path as given by the caller (displayed in diagnostics). */
  readonly path: string;
  readonly text: string;
  /** Global offset of the first character of `text`. */
  readonly offset: number;
  /** Offsets (relative to `text`) of the first character of each line. */
  readonly lineStarts: readonly number[];
}

/** A resolved location, 1-based line and column (columns count UTF-16 code units + 1). */
export interface Location {
  readonly file: SourceFile;
  readonly line: number;
  readonly column: number;
}

/** Snippet lines longer than this are shown as a window of the line (see `highlight`). */
const MAX_SNIPPET_LINE = 2048;
/** Characters shown on each side of the span in such a window (and the caret's longest run). */
const SNIPPET_CONTEXT = 120;

/** Files at global offsets; one gap of 1 between files so no span straddles two of them. */
export class SourceMap {
  readonly files: SourceFile[] = [];
  #next = 0;

  /** Adds a file and returns its global start offset. */
  addFile(path: string, text: string): SourceFile {
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    }
    const file: SourceFile = { path, text, offset: this.#next, lineStarts };
    this.files.push(file);
    this.#next += text.length + 1;
    return file;
  }

  /** The file containing a global offset, or undefined when out of range. */
  fileAt(offset: number): SourceFile | undefined {
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.files[mid]!;
      if (offset < f.offset) hi = mid - 1;
      else if (offset > f.offset + f.text.length) lo = mid + 1;
      else return f;
    }
    return undefined;
  }

  /** 1-based line and column of a global offset. */
  locate(offset: number): Location | undefined {
    const file = this.fileAt(offset);
    if (!file) return undefined;
    const rel = offset - file.offset;
    let lo = 0;
    let hi = file.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (file.lineStarts[mid]! <= rel) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: rel - file.lineStarts[lo]! + 1 };
  }

  /** Text of a 1-based line of a file, without its line terminator. */
  lineText(file: SourceFile, line: number): string {
    const start = file.lineStarts[line - 1] ?? file.text.length;
    const nextStart = file.lineStarts[line];
    let end = nextStart === undefined ? file.text.length : nextStart - 1;
    if (end > start && file.text.charCodeAt(end - 1) === 13) end--;
    return file.text.slice(start, end);
  }

  /**
   * Renders a message with a location and snippet in wasm-tools' format:
   * ```
   * <message>
   *      --> path:line:col
   *       |
   *     5 | source line
   *       |   ^---
   * ```
   */
  highlight(span: Span, message: string): string {
    const loc = this.locate(span.start);
    if (!loc) return message;
    const text = this.lineText(loc.file, loc.line);
    const lineEnd = loc.file.offset + (loc.file.lineStarts[loc.line - 1] ?? 0) + text.length;
    let width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
    // A very long line (minified or generated input) is cut to a window around the span: every
    // diagnostic on it would otherwise repeat the whole line (thousands of them, megabytes each).
    let shown = text;
    let column = loc.column;
    if (text.length > MAX_SNIPPET_LINE) {
      width = Math.min(width, SNIPPET_CONTEXT);
      const from = Math.max(0, loc.column - 1 - SNIPPET_CONTEXT);
      const to = Math.min(text.length, loc.column - 1 + width + SNIPPET_CONTEXT);
      shown = `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
      column = loc.column - from + (from > 0 ? 1 : 0);
    }
    return (
      `${message}\n` +
      `     --> ${loc.file.path}:${loc.line}:${loc.column}\n` +
      `      |\n` +
      ` ${String(loc.line).padStart(4)} | ${shown}\n` +
      `      | ${' '.repeat(column - 1)}^${'-'.repeat(width - 1)}`
    );
  }
}
