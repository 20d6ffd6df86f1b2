import { describe, expect, it } from 'vitest';
import { spawnProcess } from '../src/testing';

const node = (script: string) => spawnProcess(process.execPath, ['-e', script], { name: 'the script' });

describe('spawnProcess', () => {
  it('gives the first line that matches, printed before or after the wait began, from stdout or stderr', async () => {
    const child = node(
      "console.log('starting'); console.error('warming up'); setTimeout(() => console.log('listening 4321'), 200); setTimeout(() => {}, 5000);",
    );
    expect(await child.waitForLine('warming')).toBe('warming up');
    expect(await child.waitForLine(/listening (\d+)/)).toBe('listening 4321');
    expect(await child.waitForLine('starting')).toBe('starting');
    expect(child.lines).toEqual(expect.arrayContaining(['starting', 'warming up', 'listening 4321']));
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('fails with what was printed when the process ends before the line', async () => {
    const child = node("console.log('cannot open the database'); process.exit(3);");
    await expect(child.waitForLine('listening')).rejects.toThrow(
      /the script exited \(code 3\) before printing listening:\ncannot open the database/,
    );
  });

  it('a line printed just before the exit still counts', async () => {
    const child = node("console.log('done 42'); process.exit(0);");
    await child.exited;
    expect(await child.waitForLine('done')).toBe('done 42');
  });

  it('an unfinished last line, cut off by a kill, is not a line', async () => {
    const child = node("process.stdout.write('ack 1\\nack 2\\nack'); setTimeout(() => {}, 5000);");
    await child.waitForLine('ack 2');
    await child.stop('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(child.lines).toEqual(['ack 1', 'ack 2']);
  });

  it('fails when the time runs out, and passes each later line to a listener', async () => {
    const child = node("setInterval(() => console.log('tick'), 20);");
    const seen: string[] = [];
    const stopListening = child.onLine((line) => seen.push(line));
    await expect(child.waitForLine('tock', 300)).rejects.toThrow(
      /the script printed nothing matching tock within 300 ms/,
    );
    stopListening();
    const count = seen.length;
    expect(count).toBeGreaterThan(2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen).toHaveLength(count);
    await child.stop('SIGKILL');
  });
});
