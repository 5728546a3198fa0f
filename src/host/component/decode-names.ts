/** The `component-name` custom section (`Binary.md` § Name Section). */
import { readSort } from './decode-types.js';
import type { ComponentNames, Sort } from './model.js';
import { ComponentDecodeError, type Reader } from './reader.js';

/**
 * Decodes the subsections of a `component-name` custom section. The spec says an invalid name
 * section must not make the component invalid, so any problem yields null instead of an error.
 */
export function decodeNameSection(r: Reader): ComponentNames | null {
  try {
    let component: string | null = null;
    const sorts = new Map<Sort, Map<number, string>>();
    while (!r.done) {
      const id = r.byte('a name subsection id');
      const size = r.u32('a name subsection size');
      const s = r.window(size, 'a name subsection');
      if (id === 0) component = s.name('the component name');
      else if (id === 1) {
        const sort: Sort = readSort(s);
        const map = sorts.get(sort) ?? new Map<number, string>();
        sorts.set(sort, map);
        s.vec('names', (s) => map.set(s.u32('an index'), s.name('a name')), 2);
      } else s.pos = s.end;
      s.expectEnd('a name subsection');
    }
    return { component, sorts };
  } catch (e) {
    if (e instanceof ComponentDecodeError) return null;
    throw e;
  }
}
