import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, InvalidViewQuery } from '../src/view-store/view-store';

describe('view cursors', () => {
  it.each([true, false, 0, -1.5, 1e21, '', 'é"\\', null])('round-trip the sort value %j', (value) => {
    expect(decodeCursor(encodeCursor(value, 'id-1'))).toEqual([value, 'id-1']);
  });
  it.each([[{}], [[1]], [[true]]])('refuse a forged value %j', (value) => {
    const forged = Buffer.from(JSON.stringify([value, 'x'])).toString('base64url');
    expect(() => decodeCursor(forged)).toThrow(InvalidViewQuery);
  });
});
