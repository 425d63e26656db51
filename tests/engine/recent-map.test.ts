import { describe, expect, it } from 'vitest';
import { RecentMap } from '../../src/engine/recent-map.ts';

describe('RecentMap', () => {
  it('keeps at most max entries, dropping the oldest written first', () => {
    const m = new RecentMap<number>(3, 1000);
    for (const [i, k] of ['a', 'b', 'c'].entries()) m.set(k, i, 0);
    m.set('a', 10, 1); // rewritten: now the newest
    m.set('d', 3, 2);
    expect(m.size).toBe(3);
    expect(m.get('b', 2)).toBeUndefined();
    expect([m.get('a', 2), m.get('c', 2), m.get('d', 2)]).toEqual([10, 2, 3]);
  });

  it('reads an entry as absent once it is ttl old, and drops it', () => {
    const m = new RecentMap<string>(10, 100);
    m.set('k', 'v', 1000);
    expect(m.get('k', 1099)).toBe('v');
    expect(m.get('k', 1100)).toBeUndefined();
    expect(m.size).toBe(0);
  });

  it('forgets an entry on delete', () => {
    const m = new RecentMap<boolean>(10, 100);
    m.set('k', true, 0);
    m.delete('k');
    expect(m.get('k', 1)).toBeUndefined();
  });
});
