/*
 * Slow clients on every port: some send their request a byte every few seconds and never finish
 * it (slowloris), some ask for an answer and never read it. A service must keep answering everyone
 * else meanwhile; the driver's own requests show whether it does.
 */
import { connect, type Socket } from 'node:net';

export type SlowClients = {
  opened: number;
  /**
   * The never-ending requests the server closed on its own (its header timeout), by port: how long
   * each lived; and the ports where one is still open. (A paused reader cannot see its close.)
   */
  closedByServer(): { closed: { port: number; afterSeconds: number }[]; stillOpen: number[] };
  stop(): void;
};

export const startSlowClients = (ports: readonly number[], perPort: number): SlowClients => {
  const sockets: Socket[] = [];
  const portOf = new Map<Socket, number>();
  const timers: NodeJS.Timeout[] = [];
  let opened = 0;
  let stopping = false;
  const closed: { port: number; afterSeconds: number }[] = [];
  for (const port of ports)
    for (let i = 0; i < perPort; i++) {
      const socket = connect({ host: '127.0.0.1', port });
      const openedAt = Date.now();
      socket.on('error', () => {});
      if (i % 2 === 0)
        socket.once('close', () => {
          if (!stopping) closed.push({ port, afterSeconds: Math.round((Date.now() - openedAt) / 1000) });
        });
      sockets.push(socket);
      portOf.set(socket, port);
      opened++;
      if (i % 2 === 0) {
        // A request that never ends: one header byte every two seconds.
        const request = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(10_000)}`;
        let sent = 0;
        timers.push(
          setInterval(() => {
            if (!socket.destroyed && sent < request.length) socket.write(request[sent++] as string);
          }, 2000),
        );
      } else {
        // An answer never read: the socket is paused, so the server's writes back up.
        socket.once('connect', () => {
          socket.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
          socket.pause();
        });
      }
    }
  return {
    get opened() {
      return opened;
    },
    closedByServer: () => ({
      closed: [...closed],
      stillOpen: [
        ...new Set(
          sockets
            .filter((socket, i) => (i % perPort) % 2 === 0 && !socket.destroyed)
            .map((socket) => portOf.get(socket) ?? 0),
        ),
      ],
    }),
    stop: () => {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
    },
  };
};
