import { describe, expect, it, vi } from 'vitest';
import { HostChannel, type ChannelPeer, type ChannelWindow } from '../../../src/embed/host-channel';
import type { HostMessage } from '../../../src/embed/protocol';

const HOST = 'https://host.example';

/** A fake widget window with a parent, recording what the widget posts and where. */
function fakeWindow() {
  const posted: { message: unknown; origin: string }[] = [];
  const parent: ChannelPeer = { postMessage: (message, origin) => posted.push({ message, origin }) };
  let listener: ((event: MessageEvent) => void) | null = null;
  const win: ChannelWindow = {
    parent,
    addEventListener: (_type, l) => (listener = l),
    removeEventListener: () => (listener = null),
  };
  const deliver = (data: unknown, origin: string, source: unknown = parent) => listener?.({ data, origin, source } as MessageEvent);
  return { win, parent, posted, deliver, listening: () => listener !== null };
}

const query = { semsql: 1, type: 'query', widgetId: 'w1', requestId: 'r1', sql: 'SELECT 1' };

function channel(origins: string[], parentOrigin: string | null = HOST) {
  const fake = fakeWindow();
  const onMessage = vi.fn<(m: HostMessage) => void>();
  const ch = new HostChannel({ widgetId: 'w1', origins, parentOrigin, onMessage, win: fake.win });
  return { ...fake, ch, onMessage };
}

describe('HostChannel', () => {
  it('hands on a well-formed message from the parent on an allowed origin', () => {
    const { deliver, onMessage } = channel([HOST]);
    deliver(query, HOST);
    expect(onMessage).toHaveBeenCalledWith(query);
  });

  it('ignores another window, another origin, and malformed messages', () => {
    const { deliver, onMessage } = channel([HOST]);
    deliver(query, HOST, { postMessage() {} });
    deliver(query, 'https://evil.example');
    deliver({ ...query, apiKey: 'sk-ant-x' }, HOST);
    deliver({ ...query, widgetId: 'w2' }, HOST);
    expect(onMessage).not.toHaveBeenCalled();
  });

  it('never accepts or sends to a wildcard origin', () => {
    const { deliver, onMessage, ch, posted } = channel(['*'], null);
    deliver(query, HOST);
    ch.send({ type: 'ready' });
    expect(onMessage).not.toHaveBeenCalled();
    expect(posted).toEqual([]);
  });

  it('sends to the parent origin with the envelope, and to the origin of the last accepted message', () => {
    const { ch, posted, deliver } = channel([HOST, 'https://other.example'], HOST);
    ch.send({ type: 'ready' });
    expect(posted).toEqual([{ message: { type: 'ready', semsql: 1, widgetId: 'w1' }, origin: HOST }]);
    deliver(query, 'https://other.example');
    ch.send({ type: 'resize', height: 120 });
    expect(posted[1]?.origin).toBe('https://other.example');
  });

  it('sends nothing when the parent origin is unknown and several origins are allowed', () => {
    const { ch, posted } = channel([HOST, 'https://other.example'], null);
    ch.send({ type: 'ready' });
    expect(posted).toEqual([]);
  });

  it('is inert in a top-level page', () => {
    const posted: unknown[] = [];
    const win = { addEventListener: vi.fn(), removeEventListener: vi.fn() } as unknown as ChannelWindow & { parent: ChannelPeer };
    (win as { parent: unknown }).parent = win;
    (win as unknown as ChannelPeer).postMessage = (m: unknown) => posted.push(m);
    const ch = new HostChannel({ widgetId: 'w1', origins: [HOST], parentOrigin: null, onMessage: () => {}, win });
    ch.send({ type: 'ready' });
    expect(ch.embedded).toBe(false);
    expect(posted).toEqual([]);
    expect(win.addEventListener).not.toHaveBeenCalled();
  });
});
