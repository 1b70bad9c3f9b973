import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { pingInSlices, type PingedSocket } from '../../src/http/ping-slices.js';

/** A WebSocket server whose sockets count unanswered pings as Colyseus's transport does. */
async function pingingServer(): Promise<{ server: WebSocketServer; url: string; pings: Map<PingedSocket, number> }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const pings = new Map<PingedSocket, number>();
  server.on('connection', (socket: PingedSocket) => {
    socket.pingCount = 0;
    pings.set(socket, 0);
    const ping = socket.ping.bind(socket);
    socket.ping = (...args: Parameters<WebSocket['ping']>) => {
      pings.set(socket, pings.get(socket)! + 1);
      ping(...args);
    };
    socket.on('pong', () => (socket.pingCount = 0));
  });
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, pings };
}

async function connected(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  return socket;
}

describe('pinging WebSocket clients in slices', () => {
  it('pings every client about once per interval, a few per tick, and ends only the one that stopped answering', async function () {
    this.timeout(10_000);
    const { server, url, pings } = await pingingServer();
    const clients = await Promise.all(Array.from({ length: 40 }, () => connected(url)));
    const silent = clients[7]!;
    // A peer that reads nothing never sees the pings, so it never answers them.
    (silent as unknown as { _socket: { pause(): void } })._socket.pause();
    const closed = new Set<WebSocket>();
    for (const client of clients) client.on('close', () => closed.add(client));
    const ended: PingedSocket[] = [];
    server.on('connection', () => assert.fail('no client connects again'));
    for (const socket of server.clients as Set<PingedSocket>) socket.once('close', () => ended.push(socket));
    const interval = 400;
    const timer = pingInSlices(server.clients as Set<PingedSocket>, interval, 2, 50);
    try {
      await new Promise((resolve) => setTimeout(resolve, 5 * interval));
      const counts = [...pings.entries()].filter(([socket]) => socket.readyState === WebSocket.OPEN).map(([, count]) => count);
      assert.equal(counts.length, 39, 'every answering client is still connected');
      // 2,000 ms at one ping per client every 400 ms, in ticks of ceil(40 * 50 / 400) = 5 clients.
      assert.ok(counts.every((count) => count >= 3 && count <= 7), `pings per client: ${counts.join(' ')}`);
      assert.equal(ended.length, 1, 'one client was disconnected');
      assert.equal(pings.get(ended[0]!), 2, 'after two unanswered pings');
      assert.equal(closed.size, 0, 'the answering clients saw no close');
    } finally {
      clearInterval(timer);
      for (const client of clients) client.terminate();
      server.close();
    }
  });
});
