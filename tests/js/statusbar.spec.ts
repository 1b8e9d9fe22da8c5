/**
 * @jest-environment jsdom
 *
 * The status bar item shows the signed-in email escaped (control and bidi
 * characters visible), with the escaper fetched lazily: never the raw address.
 */
import './support/dom';

import { nullTranslator } from '@jupyterlab/translation';

import { TokenApi } from '../../src/api';
import { sessionOn } from './support/server';
import { SessionStatusItem } from '../../src/statusbar';
import { IServerStatus } from '../../src/tokens';

const status = (email: string | null): IServerStatus => ({
  signed_in: true,
  email,
  expires_at: new Date(Date.now() + 3600_000).toISOString(),
  scopes: ['openid', 'email'],
  issuer: 'https://accounts.google.com',
  client_id: 'id'
});

function itemFor(answer: IServerStatus, onClick: () => void = () => undefined) {
  const api = { status: async () => answer } as unknown as TokenApi;
  const model = sessionOn(api);
  const trans = nullTranslator.load('tokentoss');
  const item = new SessionStatusItem(model, trans, onClick);
  return { model, item };
}

const label = (item: SessionStatusItem) =>
  item.node.querySelector('span:last-child')!.textContent;

/** Waits until the label is `text` (the escaper arrives with a dynamic import). */
async function labelBecomes(item: SessionStatusItem, text: string) {
  for (let i = 0; i < 100 && label(item) !== text; i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  expect(label(item)).toBe(text);
}

it('shows a bidi-override email escaped, and "Signed in" until it can escape it', async () => {
  const { model, item } = itemFor(status('\u202emoc.live@x'));
  const seen: string[] = [];
  model.stateChanged.connect(() => seen.push(label(item)!));
  await model.checkStatus();
  expect(seen).toEqual(['Signed in']);
  await labelBecomes(item, '\\u{202e}moc.live@x');
  model.dispose();
});

it('shows "Signed in" without an email', async () => {
  const { model, item } = itemFor(status(null));
  await model.checkStatus();
  expect(label(item)).toBe('Signed in');
  model.dispose();
});

it('is a named button in the Tab order that Enter and Space press', async () => {
  const pressed: string[] = [];
  const { model, item } = itemFor(status(null), () => pressed.push('press'));
  expect(item.node.getAttribute('role')).toBe('button');
  expect(item.node.tabIndex).toBe(0);
  await model.checkStatus();
  expect(item.node.getAttribute('aria-label')).toBe('tokentoss: Signed in');
  for (const key of ['Enter', ' ', 'a']) {
    item.node.dispatchEvent(new KeyboardEvent('keydown', { key }));
  }
  expect(pressed).toEqual(['press', 'press']);
  model.dispose();
});
