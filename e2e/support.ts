import AxeBuilder from '@axe-core/playwright';
import { randomUUID } from 'node:crypto';
import { expect, type Page, type WebSocketRoute } from '@playwright/test';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import type { WebSocketLikeConstructor } from '@supabase/realtime-js';
import WebSocket from 'ws';

export const PASSWORD = 'correct-horse-battery';

/** A fresh address per test, so tests never share users. */
export function uniqueEmail(label: string): string {
  return `e2e-${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export function env(name: 'E2E_API_URL' | 'E2E_ANON_KEY' | 'E2E_DB_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through playwright.config.ts (its global setup sets it)`);
  return value;
}

/** A supabase-js client in Node, as another device would be (no session kept). */
export function nodeClient(): SupabaseClient {
  return createClient(env('E2E_API_URL'), env('E2E_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false },
    // Node 20 has no global WebSocket; supabase-js needs one to construct its realtime client.
    realtime: { transport: WebSocket as unknown as WebSocketLikeConstructor },
  });
}

/** Creates a user through the stack's Auth with supabase-js, as another client would. */
export async function createUser(email: string, password = PASSWORD): Promise<void> {
  const { error } = await nodeClient().auth.signUp({ email, password });
  if (error) throw error;
}

/** Signs in through the sign-in page and waits to land where this user's work is. */
export async function signIn(page: Page, email: string, landing: RegExp, password = PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

/**
 * Passes the page's Realtime WebSocket through the test, which can cut it and refuse
 * reconnections; `frames` holds the text of every frame the server sent.
 */
export async function routeRealtime(page: Page) {
  let down = false;
  const open = new Set<WebSocketRoute>();
  const frames: string[] = [];
  await page.routeWebSocket(/\/realtime\/v1\/websocket/, (ws) => {
    if (down) return ws.close({ code: 4000, reason: 'network down (test)' });
    const server = ws.connectToServer();
    server.onMessage((message) => {
      frames.push(message.toString());
      ws.send(message);
    });
    open.add(ws);
  });
  return {
    frames,
    drop: async () => {
      down = true;
      await Promise.all([...open].map((ws) => ws.close({ code: 4000, reason: 'network down (test)' })));
      open.clear();
    },
    restore: () => {
      down = false;
    },
  };
}

interface AnimatedDocument {
  getAnimations(): Array<{ playState: string; effect: { getComputedTiming(): { endTime?: number | string } } | null }>;
}

/** Animation frames in a row with nothing moving before the page counts as still. */
const STILL_FRAMES = 5;

/**
 * Resolves once finite animations and transitions have finished and none has started for a few
 * frames: a toast is mounted invisible and starts its entrance a frame later, so one still frame
 * can be the gap between the two. A function, not a string: the page runs under a CSP without
 * 'unsafe-eval', and Playwright evaluates string predicates with eval.
 */
export async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    (frames) => {
      const page = globalThis as unknown as { document: AnimatedDocument; __stillFrames?: number };
      const moving = page.document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getComputedTiming().endTime !== Infinity);
      page.__stillFrames = moving ? 0 : (page.__stillFrames ?? 0) + 1;
      if (page.__stillFrames < frames) return false;
      page.__stillFrames = 0;
      return true;
    },
    STILL_FRAMES,
    { polling: 'raf' },
  );
}

/**
 * No serious or critical axe violation (WCAG 2.x A and AA) on the page as it is now. Finite
 * animations and transitions settle first (a toast sliding in, a figure's flash): axe reads colours
 * as painted, and text half-way through a fade fails contrast.
 */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await animationsSettled(page);
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen, id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  expect(serious).toEqual([]);
}
