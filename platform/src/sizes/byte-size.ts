import { z } from 'zod';

/*
 * Sizes as operators write them, in an edge's capacity and in the simulator's: decimal units
 * (KB, MB, GB, TB are powers of 1000) and binary ones (KiB, MiB, GiB, TiB, powers of 1024). The
 * `bytes` package reads GB as 2^30, which would make `2GB` mean another disk in different places.
 */

const units: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** `500000000`, `500MB`, `20GB`, `2GiB` → bytes. */
export const byteSize = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?\s*([KMGT]i?B|B)?$/i, 'use a number of bytes, or one with a unit: 500MB, 20GB, 2GiB')
  .transform((text) => {
    const [, amount = '0', unit = 'B'] = /^([\d.]+)\s*(\w*)$/.exec(text) ?? [];
    return Math.floor(Number(amount) * (units[unit.toUpperCase() || 'B'] ?? 1));
  })
  .refine((bytes) => bytes > 0, 'must be more than zero bytes');

/** `1234567890` → `1.23 GB`: decimal units, as capacities are given. */
export const formatBytes = (bytes: number) => {
  const scale = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < scale.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(2)} ${scale[unit]}`;
};
