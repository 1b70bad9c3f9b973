/**
 * A worker thread relaying the lines of a LineChannel to a Unix socket and its answers back:
 * connects (retrying while the server starts), then for each request writes one line and waits
 * for one line.
 */
import { connect, type Socket } from 'node:net';
import { workerData } from 'node:worker_threads';
import { ChannelState, LineChannel, type ChannelBuffers } from './line-channel.js';
import { nameThisThread } from '../../thread-name.js';

export interface SocketWorkerData {
  readonly buffers: ChannelBuffers;
  readonly socketPath: string;
  readonly connectTimeoutMs: number;
}

const { buffers, socketPath, connectTimeoutMs } = workerData as SocketWorkerData;
const channel = new LineChannel(buffers);
nameThisThread('tavla-gnubg');

async function connectWithRetries(): Promise<Socket> {
  const deadline = Date.now() + connectTimeoutMs;
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(socketPath, () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`nothing listens at ${socketPath} after ${connectTimeoutMs} ms: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function relay(socket: Socket): Promise<never> {
  let received = '';
  let lineArrived: (() => void) | null = null;
  let closed: Error | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    if (received.includes('\n')) lineArrived?.();
  });
  const fail = (error: Error) => {
    closed = error;
    lineArrived?.();
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('the connection closed')));
  for (;;) {
    await channel.reaches(ChannelState.request);
    socket.write(`${channel.text()}\n`);
    while (!received.includes('\n')) {
      if (closed) throw closed;
      await new Promise<void>((resolve) => (lineArrived = resolve));
      lineArrived = null;
    }
    const end = received.indexOf('\n');
    channel.put(received.slice(0, end), ChannelState.reply);
    received = received.slice(end + 1);
  }
}

try {
  const socket = await connectWithRetries();
  channel.setState(ChannelState.idle);
  await relay(socket);
} catch (error) {
  channel.put(error instanceof Error ? error.message : String(error), ChannelState.failed);
}
