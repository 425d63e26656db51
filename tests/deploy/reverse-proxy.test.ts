import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { trustProxyOption } from '../../src/server/build-app.ts';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

/**
 * docker-compose.yml puts nginx in front of the app replicas. The client address the app uses (the web
 * chat's per-address limit) must be the one nginx saw, whatever a client writes in X-Forwarded-For itself:
 * nginx overwrites the header, and the app trusts exactly that one hop. (The behaviour of TRUST_PROXY
 * itself, over HTTP, is tested in tests/web/web-chat-redis.test.ts.)
 */
describe('reverse proxy in docker-compose.yml', () => {
  const nginx = read('deploy/nginx.conf');
  const compose = read('docker-compose.yml');

  it('nginx overwrites X-Forwarded-For with the address it saw, never appends to the client\'s', () => {
    const xff = [...nginx.matchAll(/^\s*proxy_set_header\s+X-Forwarded-For\s+(\S+);/gim)].map((m) => m[1]);
    expect(xff).toEqual(['$remote_addr']);
    expect(nginx).not.toContain('$proxy_add_x_forwarded_for');
    expect(nginx).not.toContain('$http_x_forwarded_for');
  });

  it('the app trusts exactly one hop, and publishes no port of its own (nginx is the only way in)', () => {
    const app = /^ {2}app:\n((?: {4,}.*\n|\s*\n)+)/m.exec(compose)?.[1] ?? '';
    const trust = /^\s+TRUST_PROXY:\s*"?([^"\n]+)"?\s*$/m.exec(app)?.[1];
    expect(trust).toBe('1');
    expect(loadConfig({ TRUST_PROXY: trust }).TRUST_PROXY).toBe(1);
    expect(app).not.toMatch(/^\s+ports:/m);
  });

  it('one trusted hop: the client is the proxy-given entry, the rightmost of X-Forwarded-For', () => {
    const trust = trustProxyOption(1);
    expect(typeof trust).toBe('function');
    const fn = trust as (address: string, hop: number) => boolean;
    expect(fn('172.18.0.5', 0)).toBe(true); // the socket peer: nginx
    expect(fn('203.0.113.50', 1)).toBe(false); // what nginx wrote: the client
    expect(trustProxyOption(false)).toBe(false);
    expect(trustProxyOption(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });
});
