import { createHash } from 'node:crypto';

/** A payload whose content checks itself, so a torn or mixed-up event is caught on read. */
export const payloadFor = (n: number) => {
  const padding = 'x'.repeat(n % 700);
  return { n, padding, sha: createHash('sha256').update(`${n}:${padding}`).digest('hex') };
};

export const payloadIsIntact = (data: Record<string, unknown>) =>
  typeof data.n === 'number' && JSON.stringify(payloadFor(data.n)) === JSON.stringify(data);
