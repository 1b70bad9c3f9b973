import http from 'node:http';
import { TEST_PORT } from './match-clients.js';

export interface RawRequest {
  method?: string;
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** Written in pieces; a chunked body when no content-length header is given. */
  chunks?: (string | Buffer)[];
  /** A slow reader: pauses this long after every chunk of the answer it receives. */
  pauseMs?: number;
  timeoutMs?: number;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed, when the answer says it is JSON. */
  json: any;
}

/** A request over a plain socket to the test server, sent exactly as given, as a hostile client would. */
export function rawRequest({ method = 'GET', path, headers = {}, chunks = [], pauseMs = 0, timeoutMs = 20_000 }: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port: TEST_PORT, method, path, headers }, (response) => {
      const received: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (pauseMs > 0) {
          response.pause();
          setTimeout(() => response.resume(), pauseMs);
        }
      });
      response.on('end', () => {
        const body = Buffer.concat(received);
        const json = response.headers['content-type']?.startsWith('application/json') && response.headers['content-encoding'] === undefined ? JSON.parse(body.toString('utf8')) : undefined;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, json });
      });
      response.on('error', reject);
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${method} ${path.slice(0, 100)} got no whole answer within ${timeoutMs} ms`)));
    // A refused body may be cut off mid-write: what counts is the answer.
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
