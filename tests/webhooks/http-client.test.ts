// The platform APIs' HTTP client (webhooks/http-client.ts) against real loopback servers: what it sends, the
// answers it reads, keep-alive, and every way a request can end without an answer, each within its deadline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveHttpClient, NoAnswerError } from '../../webhooks/http-client.ts';
import { freePort } from '../support/free-port.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A self-signed certificate for 127.0.0.1 made with openssl, or null where openssl is missing. */
function loopbackCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tls = loopbackCertificate();

const servers: Server[] = [];
const clients: KeepAliveHttpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A loopback server answering with `answer`; records each request and counts connections. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      answer(req, res, s);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  const client = new KeepAliveHttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  clients.push(client);
  return { client, seen, connections: () => connections };
}

const post = (client: KeepAliveHttpClient, body: string | Uint8Array, timeoutMs = 2000, path = '/bot123:abc/sendMessage') =>
  client.send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs });

describe('KeepAliveHttpClient', () => {
  it('sends the method, path, headers and body, and returns the status and body text', async () => {
    const { client, seen } = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":"届きました"}'));
    const body = JSON.stringify({ chat_id: 1, text: 'こんにちは 🌸' });
    const answer = await post(client, body);
    expect(answer).toEqual({ status: 200, text: '{"ok":true,"result":"届きました"}' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/bot123:abc/sendMessage', body });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
    // The length in bytes, not characters.
    expect(seen[0]!.headers['content-length']).toBe(String(Buffer.byteLength(body)));
  });

  it('sends a binary body as it is', async () => {
    const { client, seen } = await serve((_req, res) => res.end('{}'));
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);
    await client.send('/upload', { method: 'POST', headers: { 'content-type': 'image/png' }, body: png, timeoutMs: 2000 });
    expect(Buffer.from(seen[0]!.body, 'latin1')).toHaveLength(10);
    expect(seen[0]!.headers['content-length']).toBe('10');
  });

  it('returns error statuses with their body rather than throwing (the caller reads the platform error)', async () => {
    const { client } = await serve((_req, res) => res.writeHead(429, { 'content-type': 'application/json' }).end('{"ok":false,"error_code":429,"parameters":{"retry_after":3}}'));
    await expect(post(client, '{}')).resolves.toEqual({ status: 429, text: '{"ok":false,"error_code":429,"parameters":{"retry_after":3}}' });
  });

  it('reads a chunked answer sent in several pieces', async () => {
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"ok":true,');
      setTimeout(() => res.end('"result":"あいう"}'), 20);
    });
    await expect(post(client, '{}')).resolves.toEqual({ status: 200, text: '{"ok":true,"result":"あいう"}' });
  });

  it('keeps connections open between requests', async () => {
    const { client, connections } = await serve((_req, res) => res.end('{}'));
    for (let i = 0; i < 20; i++) await post(client, '{}');
    // One after another: undici's pool may open a second connection while the first is being freed, no more.
    expect(connections()).toBeLessThanOrEqual(2);
  });

  it('runs requests side by side on several connections', async () => {
    // The server answers nothing until all ten requests are in at once: a client that sent them one after
    // another would never get there, and each request would end at its 2-second deadline instead.
    const held: ServerResponse[] = [];
    const { client, seen, connections } = await serve((_req, res) => {
      held.push(res);
      if (held.length === 10) for (const r of held) r.end('{}');
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(client, '{}')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(seen).toHaveLength(10);
    expect(connections()).toBe(10);
  });

  it('gives up at the deadline when the server never answers (NoAnswerError, timed out)', async () => {
    const { client } = await serve(() => {});
    const started = Date.now();
    const err = await post(client, '{}', 150).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as NoAnswerError).timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up at the deadline when the answer stops half-way', async () => {
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":');
    });
    const err = await post(client, '{}', 150).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as NoAnswerError).timedOut).toBe(true);
  });

  it('reports a refused connection as a network error, not a timeout', async () => {
    const client = new KeepAliveHttpClient(`http://127.0.0.1:${await freePort()}`);
    clients.push(client);
    const err = await post(client, '{}', 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as NoAnswerError).timedOut).toBe(false);
  });

  it('reports a connection the server drops mid-request as a network error', async () => {
    const { client } = await serve((req) => (req.socket as Socket).destroy());
    const err = await post(client, '{}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as NoAnswerError).timedOut).toBe(false);
  });

  it('refuses an answer over 1 MiB instead of holding it in memory', async () => {
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('x'.repeat(2 * 1024 * 1024));
    });
    await expect(post(client, '{}')).rejects.toBeInstanceOf(NoAnswerError);
  });

  it('never puts the path (which holds the bot token) in its errors', async () => {
    const { client } = await serve(() => {});
    const err = (await post(client, '{}', 100, '/bot999:SECRET-TOKEN/sendMessage').catch((e: unknown) => e)) as Error;
    expect(`${err.message} ${err.stack}`).not.toContain('SECRET-TOKEN');
  });

  it('works again for the next request after a timeout', async () => {
    let n = 0;
    const { client } = await serve((_req, res) => {
      if (n++ === 0) return; // the first request gets no answer
      res.end('{"ok":true}');
    });
    await expect(post(client, '{}', 100)).rejects.toBeInstanceOf(NoAnswerError);
    await expect(post(client, '{}', 2000)).resolves.toEqual({ status: 200, text: '{"ok":true}' });
  });

  it.skipIf(!tls)('speaks https (the platforms are https only): answers, keep-alive, and an untrusted certificate refused', async () => {
    const seen: string[] = [];
    let connections = 0;
    const server = createHttpsServer({ key: tls!.key, cert: tls!.cert }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":"暗号化"}');
      });
    });
    server.on('secureConnection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    servers.push(server as unknown as Server);
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new KeepAliveHttpClient(origin, { ca: tls!.cert });
    clients.push(client);
    for (let i = 0; i < 3; i++) await expect(post(client, `{"n":${i}}`)).resolves.toEqual({ status: 200, text: '{"ok":true,"result":"暗号化"}' });
    expect(seen).toEqual(['{"n":0}', '{"n":1}', '{"n":2}']);
    // Kept alive (see the keep-alive test for why a second connection may open).
    expect(connections).toBeLessThanOrEqual(2);
    // Without the private CA the certificate is not trusted: no request goes out.
    const untrusting = new KeepAliveHttpClient(origin);
    clients.push(untrusting);
    const err = await post(untrusting, '{}').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAnswerError);
    expect((err as NoAnswerError).timedOut).toBe(false);
    expect(seen).toHaveLength(3);
  });

  it('after close, refuses new requests with NoAnswerError, and a second close is harmless', async () => {
    const { client } = await serve((_req, res) => res.end('{}'));
    await post(client, '{}');
    await client.close();
    await client.close();
    await expect(post(client, '{}')).rejects.toBeInstanceOf(NoAnswerError);
  });
});
