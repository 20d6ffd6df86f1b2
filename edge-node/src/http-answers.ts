import type { ServerResponse } from 'node:http';

/** What every content answer carries, so a player on another origin can read it. */
export const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, ETag, Last-Modified, X-Cache',
};

export const immutable = 'public, max-age=31536000, immutable';

/** An error as JSON: `{ error, message }`, the same shape from every node and from nginx. */
export const answer = (res: ServerResponse, status: number, error: string, message: string) => {
  const body = JSON.stringify({ error, message });
  res.writeHead(status, {
    ...corsHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
};

/** An upstream's `{ error, message }` refusal, read back so it can be passed on as it came. */
export const readRefusal = (body: string): { error: string; message: string } => {
  try {
    const { error, message } = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof error === 'string' && typeof message === 'string') return { error, message };
  } catch {}
  return { error: 'Forbidden', message: 'The upstream refused this file.' };
};
