/** Exhaustiveness check for `switch` statements over discriminated unions (style guide §6). */
export function assertNever(x: never): never {
  throw new Error(`internal error: unexpected value ${JSON.stringify(x)}`);
}
