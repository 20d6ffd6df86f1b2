import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool } from '../setup/prepare-machine';
import { type Machine, missingToolLine, planSetup, systemTools, toolsFor } from '../setup/system-tools';

const tool = (command: string) => systemTools.find((each) => each.command === command) ?? expect.fail(command);
const debianRoot: Machine = { packageManager: 'apt', canInstall: true, sudo: false };

describe('planning the set-up of a machine', () => {
  it('has nothing to do when every tool is there', () => {
    expect(planSetup([], debianRoot)).toEqual({ kind: 'ready' });
  });

  it('installs the missing tools with apt, each package once, where it may', () => {
    const plan = planSetup([tool('ffmpeg'), tool('ffprobe'), tool('chromium')], debianRoot);
    expect(plan).toMatchObject({ kind: 'install', packages: ['ffmpeg', 'chromium'] });
    expect(plan.kind === 'install' && plan.command).toEqual(['apt-get', 'install', '-y', '-q', 'ffmpeg', 'chromium']);
    const sudo = planSetup([tool('nginx')], { ...debianRoot, sudo: true });
    expect(sudo.kind === 'install' && sudo.command.slice(0, 2)).toEqual(['sudo', 'apt-get']);
  });

  it('names each missing tool with the exact command of the system when it may not install', () => {
    const fedora = planSetup([tool('ffmpeg'), tool('nginx')], { packageManager: 'dnf', canInstall: false, sudo: true });
    expect(fedora).toEqual({
      kind: 'missing',
      lines: [
        expect.stringMatching(
          /^missing ffmpeg \(.+\): install it with sudo dnf install -y ffmpeg \(from RPM Fusion\)$/,
        ),
        expect.stringMatching(/^missing nginx \(.+\): install it with sudo dnf install -y nginx$/),
      ],
    });
    const mac = planSetup([tool('chromium')], { packageManager: 'brew', canInstall: false, sudo: true });
    expect(mac.kind === 'missing' && mac.lines[0]).toContain('brew install --cask chromium');
    const debianUser = planSetup([tool('wrk')], { packageManager: 'apt', canInstall: false, sudo: true });
    expect(debianUser.kind === 'missing' && debianUser.lines[0]).toContain('sudo apt-get install -y wrk');
  });

  it('gives every known command when the system is one it does not know', () => {
    const line = missingToolLine(tool('ffprobe'), undefined);
    for (const command of ['apt-get install -y ffmpeg', 'dnf install -y ffmpeg', 'brew install ffmpeg'])
      expect(line).toContain(command);
  });

  it("installs nginx's njs module wherever nginx is wanted, and says where other systems get it", () => {
    const njs = tool('njs (ngx_http_js_module.so)');
    const commands = (tools: readonly { command: string }[]) => tools.map((each) => each.command);
    expect(commands(toolsFor('start', ['nginx']))).toEqual(expect.arrayContaining(['nginx', njs.command]));
    expect(commands(toolsFor('start'))).not.toContain(njs.command);
    expect(commands(toolsFor('test'))).toContain(njs.command);
    expect(commands(toolsFor('bench'))).toContain(njs.command);
    const debian = planSetup([tool('nginx'), njs], debianRoot);
    expect(debian.kind === 'install' && debian.packages).toEqual(['nginx', 'libnginx-mod-http-js']);
    const fedora = missingToolLine(njs, 'dnf');
    expect(fedora).toContain('sudo dnf install -y nginx-module-njs');
    expect(fedora).toContain('https://nginx.org/en/linux_packages.html');
    const mac = missingToolLine(njs, 'brew');
    expect(mac).not.toContain('brew install');
    expect(mac).toContain('NGINX_NJS_MODULE');
    expect(missingToolLine(njs, undefined)).toContain('apt-get install -y libnginx-mod-http-js');
  });

  it('finds a module by its file (readable, not executable), not on PATH', () => {
    const njs = tool('njs (ngx_http_js_module.so)');
    expect(njs.paths).toContain('/usr/lib/nginx/modules/ngx_http_js_module.so');
    const dir = mkdtempSync(join(tmpdir(), 'marquee-tools-'));
    try {
      const module = join(dir, 'ngx_http_js_module.so');
      writeFileSync(module, '', { mode: 0o644 });
      expect(findTool({ ...njs, paths: [join(dir, 'absent.so'), module] }, dir)).toBe(module);
      expect(findTool({ ...njs, paths: [join(dir, 'absent.so')] }, dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks of a machine only what the purpose needs', () => {
    const commands = (purpose: 'start' | 'test' | 'bench') => toolsFor(purpose).map((each) => each.command);
    expect(commands('start')).toEqual(['ffmpeg', 'ffprobe']);
    expect(commands('test')).toEqual(expect.arrayContaining(['ffmpeg', 'ffprobe', 'chromium', 'nginx']));
    expect(commands('bench')).toEqual(expect.arrayContaining(['chromium', 'nginx', 'wrk']));
    expect(toolsFor('start', ['nginx']).map((each) => each.command)).toContain('nginx');
  });
});
