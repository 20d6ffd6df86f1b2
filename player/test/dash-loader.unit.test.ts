import { afterEach, describe, expect, it, vi } from 'vitest';

let imports = 0;
vi.mock('dashjs', () => {
  imports += 1;
  return { MediaPlayer: () => ({}) };
});

const noHls = { canPlayType: () => '' };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  imports = 0;
});

describe('dash.js is loaded once, and only where it plays', () => {
  it('the title page warm-up and the watch page share one load', async () => {
    vi.stubGlobal('MediaSource', class {});
    const { loadDashjs, warmUpDashjs } = await import('../src/app/watch/dash-loader');
    warmUpDashjs(noHls);
    const first = loadDashjs();
    expect(loadDashjs()).toBe(first);
    await first;
    expect(imports).toBe(1);
  });

  it('is not loaded where the browser would play its own HLS (no MSE)', async () => {
    const { warmUpDashjs } = await import('../src/app/watch/dash-loader');
    warmUpDashjs({ canPlayType: () => 'maybe' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(imports).toBe(0);
  });
});
