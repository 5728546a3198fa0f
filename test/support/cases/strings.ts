/**
 * Guests whose strings are UTF-16 and latin1+utf16 (wit-component's `compact-utf16`): one table
 * of expectations for every hosting mode. jco cannot host the latin1+utf16 component at all: see
 * test/component/e2e-strings.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { STRINGS_LATIN1, STRINGS_UTF16, hostGuest, type Mode, type TestGuest } from '../modes.js';

export const STRING_GUESTS = [STRINGS_UTF16, STRINGS_LATIN1] as const;

const SAMPLES = ['', 'a', 'plain ascii', 'café', 'ÿÿ', '€uro', 'mixed é € 😀 end', '😀'.repeat(100), 'x'.repeat(5000)];

export function stringsSuite(mode: Mode, g: TestGuest): void {
  const world = g.name;
  const encoding = g.encoding!;
  describe(`${world}: strings in ${encoding} (${mode})`, () => {
    let ex: any;
    const seen: string[] = [];
    beforeAll(async () => {
      const instantiate = await hostGuest(mode, g);
      ex = await instantiate({
        [`test:${world}/host`]: {
          echo(s: string) {
            seen.push(s);
            return s;
          },
        },
      });
    });

    it('round-trips strings through an export', () => {
      for (const s of SAMPLES) expect(ex.strings.echo(s)).toBe(s);
    });

    it('counts scalar values and code units as the guest sees them', () => {
      expect(ex.strings.len('a€😀')).toBe(3);
      // The raw length the guest received: latin1+utf16 tags UTF-16 data with bit 31.
      expect(ex.strings.codeUnits('a€😀')).toBe(encoding === 'utf16' ? 4 : (4 | 0x8000_0000) >>> 0);
      expect(ex.strings.codeUnits('aé')).toBe(2);
    });

    it('lifts strings the guest makes (Latin-1 and wide)', () => {
      expect(ex.strings.makeLatin1(5)).toBe('aéaéa');
      expect(ex.strings.makeWide(4)).toBe('a€😀a');
      expect(ex.strings.concat('é', '😀')).toBe('é😀');
    });

    it('passes strings to host imports and back', () => {
      expect(ex.strings.roundtrip('héllo €')).toBe('héllo €');
      expect(seen).toContain('héllo €');
      expect(ex.strings.hostCheck(7)).toBe(0);
      if (encoding === 'latin1+utf16') {
        // Latin-1 when every code point < 256, else UTF-16 with the tag bit (bit 31) set.
        expect(ex.strings.roundtripUnits('aé')).toBe(2);
        expect(ex.strings.roundtripUnits('a€')).toBe((2 | 0x8000_0000) >>> 0);
      } else {
        expect(ex.strings.roundtripUnits('a😀')).toBe(3);
      }
    });

    it('frees everything it allocates', () => {
      const before = ex.allocatedBytes();
      for (let i = 0; i < 200; i++) {
        ex.strings.echo(SAMPLES[i % SAMPLES.length]);
        ex.strings.roundtrip('é€😀');
      }
      expect(ex.allocatedBytes()).toBe(before);
    });
  });
}
