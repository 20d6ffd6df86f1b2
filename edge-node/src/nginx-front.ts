import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '@marquee/platform';

/*
 * Optional: nginx in front of the edge (EDGE_SERVE_WITH=nginx), as CDN appliances run it. Every
 * request still goes to this program first, which checks the path and the token, counts, and
 * picks hit or miss exactly as without nginx; for a hit it answers with X-Accel-Redirect and
 * nginx sends the file with sendfile(2), which Node cannot do, so the bytes never pass through
 * JavaScript. Misses (pull-through) and everything else stream back through nginx unbuffered.
 */

export const heldLocation = '/_held';

/** Debian puts nginx in /usr/sbin, which a non-login PATH may lack. */
export const nginxBinary = process.env.NGINX_PATH ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

const configuration = (options: {
  listen: string;
  node: string;
  contentDir: string;
  workDir: string;
}) => `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
pid ${join(options.workDir, 'nginx.pid')};
error_log ${join(options.workDir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server_tokens off;
  client_body_temp_path ${join(options.workDir, 'client-body')};
  proxy_temp_path ${join(options.workDir, 'proxy')};
  fastcgi_temp_path ${join(options.workDir, 'fastcgi')};
  uwsgi_temp_path ${join(options.workDir, 'uwsgi')};
  scgi_temp_path ${join(options.workDir, 'scgi')};
  types {
    application/dash+xml mpd;
    video/iso.segment m4s;
    video/mp4 mp4;
    audio/mp4 m4a;
    image/jpeg jpg jpeg;
    application/json json;
  }
  default_type application/octet-stream;
  charset_types application/json;
  upstream edge_program {
    server ${options.node};
    keepalive 64;
  }
  server {
    listen ${options.listen};
    location ${heldLocation}/ {
      internal;
      alias ${resolve(options.contentDir)}/;
      disable_symlinks on;
      charset utf-8;
      etag on;
      add_header Cache-Control "public, max-age=31536000, immutable" always;
      add_header Access-Control-Allow-Origin * always;
      add_header Access-Control-Expose-Headers "Content-Length, Content-Range, ETag, Last-Modified, X-Cache" always;
      add_header X-Cache hit always;
    }
    location / {
      proxy_pass http://edge_program;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;

export const startNginxFront = async (options: {
  host: string;
  port: number;
  /** Where this program listens, for nginx to reach it: host:port. */
  node: string;
  contentDir: string;
  workDir: string;
  logger: Logger;
  /** nginx exited without being asked: this node no longer serves, and should not look healthy. */
  onUnexpectedExit?: (code: number | null) => void;
}): Promise<{ stop(): Promise<void> }> => {
  const workDir = resolve(options.workDir);
  await mkdir(workDir, { recursive: true });
  const configFile = join(workDir, 'nginx.conf');
  await writeFile(
    configFile,
    configuration({
      listen: `${options.host}:${options.port}`,
      node: options.node,
      contentDir: options.contentDir,
      workDir,
    }),
  );
  const child: ChildProcess = spawn(nginxBinary, ['-c', configFile, '-g', 'daemon off;'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`nginx could not start (is it installed?): ${error.message}`)));
    child.once('exit', (code) =>
      reject(new Error(`nginx exited with ${code}; see ${join(workDir, 'nginx-error.log')}`)),
    );
  });
  failed.catch(() => {});
  const deadline = AbortSignal.timeout(10_000);
  let stopping = false;
  const kill = () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
  };
  for (;;) {
    const up = await Promise.race([
      fetch(`http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${options.port}/healthz`).then(
        (response) => response.ok,
        () => false,
      ),
      failed,
    ]).catch((error) => {
      kill();
      throw error;
    });
    if (up) break;
    if (deadline.aborted) {
      // Left running, it would hold the port and fail every restart.
      kill();
      throw new Error('nginx did not answer within 10 s');
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  options.logger.info({ configFile }, 'nginx sends held files (sendfile); this program decides every request');
  child.once('exit', (code) => {
    if (!stopping) options.onUnexpectedExit?.(code);
  });
  return {
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        kill();
      }),
  };
};
