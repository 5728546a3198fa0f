/**
 * The host side of `hostile:test/host` for the hostile-guest tests: every function records its
 * call and answers something simple unless the test overrides it; `Blob` and `Other` are the
 * host's resource classes (they count their `[Symbol.dispose]` calls).
 */
export class Blob {
  static disposed: Blob[] = [];
  constructor(readonly v: number) {}
  value(): number {
    return this.v;
  }
  [Symbol.dispose](): void {
    Blob.disposed.push(this);
  }
}

export class Other {}

export interface RecordingHost {
  /** The imports object for `hostile:test/host`. */
  readonly imports: Record<string, unknown>;
  /** Every call of a host function, in order: [name, args]. */
  readonly calls: [string, unknown[]][];
  /** Per function: what it does instead (it still records the call). */
  readonly overrides: Record<string, (...args: any[]) => unknown>;
}

const ANSWERS: Record<string, (...args: any[]) => unknown> = {
  takeString: (s: string) => s.length,
  takeBytes: (b: Uint8Array) => b.length,
  takeU64s: (b: BigUint64Array) => b.length,
  takePairs: (p: unknown[]) => p.length,
  takeChar: (c: string) => c.codePointAt(0)!,
  takeBool: (b: boolean) => (b ? 1 : 0),
  takeColor: () => 1,
  takePerms: () => 1,
  takeOption: () => 1,
  takeShape: () => 1,
  takeResult: () => 1,
  takeMany: (...s: string[]) => s.join('').length,
  giveString: () => 'hello',
  giveStrings: () => ['a', 'bc'],
  giveBytes: () => new Uint8Array([1, 2, 3]),
  blobValue: (b: Blob) => b.v,
  blobTake: (b: Blob) => b.v,
  blobBoth: (a: Blob, b: Blob) => a.v + b.v,
  otherValue: () => 7,
  blobName: (b: Blob) => `blob ${b.v}`,
  makeBlob: (v: number) => new Blob(v),
  ping: () => 0,
};

export function recordingHost(): RecordingHost {
  const calls: [string, unknown[]][] = [];
  const overrides: Record<string, (...args: any[]) => unknown> = {};
  const imports: Record<string, unknown> = { Blob, Other };
  for (const [name, answer] of Object.entries(ANSWERS)) {
    imports[name] = (...args: unknown[]) => {
      calls.push([name, args]);
      return (overrides[name] ?? answer)(...args);
    };
  }
  return { imports, calls, overrides };
}
