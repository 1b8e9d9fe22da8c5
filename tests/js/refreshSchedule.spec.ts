/**
 * When the background refresh is due (src/session/refreshSchedule.ts): the
 * margin before expiry, never sooner than 30 s, none when off or signed out.
 */
import { Poll } from '@lumino/polling';

import {
  MIN_REFRESH_DELAY_MS,
  refreshDelayMs
} from '../../src/session/refreshSchedule';
import { DEFAULT_SETTINGS } from '../../src/settings';
import { SessionState } from '../../src/tokens';
import { signedIn, signedOut } from './support/server';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const expiringIn = (seconds: number): SessionState => ({
  kind: 'signed-in',
  status: {
    ...signedIn(0),
    expires_at: new Date(NOW + seconds * 1000).toISOString()
  }
});
const settings = { ...DEFAULT_SETTINGS, refreshMarginSeconds: 300 };

it('is the margin before expiry', () => {
  expect(refreshDelayMs(expiringIn(3600), settings, NOW)).toBe(3300_000);
});

it('is never sooner than 30 s, so a token inside the margin does not loop', () => {
  expect(refreshDelayMs(expiringIn(310), settings, NOW)).toBe(
    MIN_REFRESH_DELAY_MS
  );
  expect(refreshDelayMs(expiringIn(-60), settings, NOW)).toBe(
    MIN_REFRESH_DELAY_MS
  );
});

it('never exceeds what a timer can hold', () => {
  expect(refreshDelayMs(expiringIn(90 * 24 * 3600), settings, NOW)).toBe(
    Poll.MAX_INTERVAL
  );
});

it('is none when switched off, signed out, or without an expiry', () => {
  const off = { ...settings, autoRefresh: false };
  expect(refreshDelayMs(expiringIn(3600), off, NOW)).toBeNull();
  expect(refreshDelayMs({ kind: 'signed-out' }, settings, NOW)).toBeNull();
  const noExpiry: SessionState = {
    kind: 'signed-in',
    status: { ...signedOut, signed_in: true, expires_at: null }
  };
  expect(refreshDelayMs(noExpiry, settings, NOW)).toBeNull();
  expect(refreshDelayMs({ kind: 'loading' }, settings, NOW)).toBeNull();
});
