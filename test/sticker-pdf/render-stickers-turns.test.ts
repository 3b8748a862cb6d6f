import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { renderStickers } from '../../src/sticker-pdf/index.js';
import { hoaLuBatch } from './helpers/sticker-fixtures.js';

describe('renderStickers and the event loop', () => {
  it('when a batch of eight-per-sheet stickers renders, then other work gets a turn between stickers', async () => {
    const batch = hoaLuBatch(24);
    const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    // Another piece of work that asks for a turn again each time it gets one (as every request would).
    let turns = 0;
    let rendering = true;
    const other = () => {
      turns++;
      if (rendering) setImmediate(other);
    };
    setImmediate(other);
    const result = await renderStickers(batch, 'a4-8', sink);
    rendering = false;
    expect(result).toMatchObject({ pages: 3, stickers: 24 });
    // Three sheets of eight: were turns given only between sheets, the other work would get about three.
    expect(turns).toBeGreaterThanOrEqual(23);
  });
});
