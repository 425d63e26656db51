import { describe, expect, it } from 'vitest';
import { BudgetExceededError, TimeBudget } from '../../webhooks/time-budget.ts';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('TimeBudget.race', () => {
  it('passes on the value or the error of a promise that settles in time', async () => {
    const budget = new TimeBudget(1000);
    await expect(budget.race(after(5, 'done'))).resolves.toBe('done');
    await expect(budget.race(Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('rejects with BudgetExceededError once the budget is spent, soon after the deadline', async () => {
    const budget = new TimeBudget(150);
    const started = Date.now();
    const never = new Promise<never>(() => {});
    const err = await budget.race(never).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect((err as BudgetExceededError).code).toBe('MAMORI_WEBHOOK_BUDGET_EXCEEDED');
    expect(took).toBeGreaterThanOrEqual(145);
    expect(took).toBeLessThan(1000);
  });

  it('expires each race at its own deadline while others still run, and a late settlement changes nothing', async () => {
    const short = new TimeBudget(100);
    const long = new TimeBudget(2000);
    let settle!: (v: string) => void;
    const late = new Promise<string>((r) => (settle = r));
    const shortRace = short.race(late).catch((e: unknown) => e);
    const longRace = long.race(after(300, 'long done'));
    expect(await shortRace).toBeInstanceOf(BudgetExceededError);
    settle('too late');
    await expect(longRace).resolves.toBe('long done');
  });

  it('rejects at once when nothing is left, and a late rejection of the raced promise is not unhandled', async () => {
    const spent = new TimeBudget(100, Date.now() - 200);
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(spent.race(after(10, 'x'))).rejects.toBeInstanceOf(BudgetExceededError);
      const failing = new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 10));
      await expect(spent.race(failing)).rejects.toBeInstanceOf(BudgetExceededError);
      const racing = new TimeBudget(50).race(new Promise((_, reject) => setTimeout(() => reject(new Error('after expiry')), 150)));
      await expect(racing).rejects.toBeInstanceOf(BudgetExceededError);
      await after(200, null);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('leaves no timer behind once every race is over (the process can exit)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const budget = new TimeBudget(1000);
    const racing = budget.race(new Promise((resolve) => setImmediate(resolve)));
    expect(timers()).toBe(before + 1);
    await racing;
    expect(timers()).toBe(before);
    await expect(budget.race(Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(timers()).toBe(before);
  });
});
