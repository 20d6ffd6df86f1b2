import { join, resolve } from 'node:path';

/*
 * The nginx configuration of an edge or origin behind nginx (EDGE_SERVE_WITH=nginx). nginx
 * decides segment hits itself (njs checks the token: nginx/content-token.js) and sends them
 * with sendfile; everything else goes to the Node program unchanged. Pure: a string from options.
 */

/** The internal location Node's X-Accel-Redirect answers point at (files Node decided on). */
export const heldLocation = '/_held';

/** The environment variable that carries the content token secret to njs (nginx `env`). */
export const njsSecretVariable = 'MARQUEE_CONTENT_TOKEN_SECRET';

export const accessLogFile = 'served.log';
export const unavailableTitlesFile = 'unavailable-titles.map';

/*
 * One line per hit nginx sent, tab-separated (escape=default turns tabs, quotes and bytes
 * outside ASCII into `\x` and two hex digits): time, status, bytes sent, the file under the content folder (the
 * token is not in it), the session id and the region from the token, CMCD from the query and the headers.
 */
export const accessLogFormat = [
  '$msec',
  '$status',
  '$body_bytes_sent',
  '$uri',
  '$content_session',
  '$content_region',
  '$arg_CMCD',
  '$http_cmcd_request',
  '$http_cmcd_object',
  '$http_cmcd_status',
  '$http_cmcd_session',
].join('\\t');

export type NginxConfigOptions = {
  listen: string;
  /** Where the Node program listens: host:port or unix:/path. */
  node: string;
  contentDir: string;
  workDir: string;
  /** ngx_http_js_module.so */
  njsModule: string;
  njsScript: string;
  runAsRoot: boolean;
};

export const nginxConfiguration = (options: NginxConfigOptions) => {
  const workDir = resolve(options.workDir);
  const contentDir = resolve(options.contentDir);
  const corsAndCaching = `
      add_header Cache-Control "public, max-age=31536000, immutable" always;
      add_header Access-Control-Allow-Origin * always;
      add_header Access-Control-Expose-Headers "Content-Length, Content-Range, ETag, Last-Modified, X-Cache" always;
      add_header X-Cache hit always;`;
  const toNode = `
      proxy_pass http://edge_program;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_request_buffering off;`;
  return `load_module ${options.njsModule};
${options.runAsRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${join(workDir, 'nginx.pid')};
# Request lines carry content tokens: the error log goes to stderr, which the program reads and
# logs with the tokens redacted (nginx-front.ts), never to a file. A refused link is logged at
# crit, once per hostile request: only what stops or breaks nginx (alert, emerg) is logged.
error_log stderr alert;
env ${njsSecretVariable};
events { worker_connections 4096; }
http {
  access_log off;
  log_not_found off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server_tokens off;
  client_body_temp_path ${join(workDir, 'client-body')};
  proxy_temp_path ${join(workDir, 'proxy')};
  fastcgi_temp_path ${join(workDir, 'fastcgi')};
  uwsgi_temp_path ${join(workDir, 'uwsgi')};
  scgi_temp_path ${join(workDir, 'scgi')};
  types {
    application/dash+xml mpd;
    application/vnd.apple.mpegurl m3u8;
    video/iso.segment m4s;
    video/mp4 mp4;
    audio/mp4 m4a;
    image/jpeg jpg jpeg;
    application/json json;
    text/vtt vtt;
  }
  default_type application/octet-stream;
  charset_types application/json text/vtt;

  js_import content_token from ${options.njsScript};
  js_set $held_file content_token.heldFile;
  # Titles unpublished since the package was stored: rewritten by the program, then a reload.
  map $uri $content_title {
    "~^/c/[^/]+/(?<title>[^/]+)/" $title;
    default "";
  }
  map $content_title $content_title_unavailable {
    default 0;
    include ${join(workDir, unavailableTitlesFile)};
  }
  log_format served escape=default '${accessLogFormat}';

  upstream edge_program {
    server ${options.node};
    keepalive 64;
  }
  server {
    listen ${options.listen};
    # disable_symlinks opens every component of a path, and try_files then the static handler
    # open the file twice: cached, a hit costs a few syscalls. Not-found is not cached, so a
    # package installed a moment ago is seen at once; an evicted one may still be sent for 10 s.
    open_file_cache max=10000 inactive=30s;
    open_file_cache_valid 10s;
    # A segment hit: njs names the file when the token allows it, else the program decides.
    location ~ "^/c/[^/]+/[^/]+/[^/]+/.+\\.m4s$" {
      root ${contentDir};
      disable_symlinks on;
      # Set by njs for the log, from the claims it checked.
      set $content_session "";
      set $content_region "";
      try_files $held_file @program;
      etag on;${corsAndCaching}
      access_log ${join(workDir, accessLogFile)} served buffer=64k flush=1s;
    }
    location @program {${toNode}
    }
    location ${heldLocation}/ {
      internal;
      alias ${contentDir}/;
      disable_symlinks on;
      charset utf-8;
      etag on;${corsAndCaching}
    }
    location / {${toNode}
    }
  }
}
`;
};

// The ids njs may send hits for (content-token.js); any other id always goes to the program.
const fastPathId = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** The map file's text: one line per unavailable title that nginx could otherwise serve. */
export const unavailableTitlesMap = (titleIds: Iterable<string>) =>
  [...new Set(titleIds)]
    .filter((titleId) => fastPathId.test(titleId))
    .sort()
    .map((titleId) => `"${titleId}" 1;\n`)
    .join('');
