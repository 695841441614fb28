import { describe, expect, it } from 'vitest';
import { embedTrust, modelAccess, storageScope, trustNotice } from '../../../src/embed/trust';

const APP = 'https://semsql.example.org';
const ALLOWED = ['https://docs.example.org'];

describe('what an embedding may do (issue 14)', () => {
  it('tells the app, an allowed host, a foreign host and a direct entry apart', () => {
    expect(embedTrust(APP, APP, ALLOWED)).toEqual({ kind: 'app' });
    expect(embedTrust('https://docs.example.org', APP, ALLOWED)).toEqual({ kind: 'allowed', host: 'https://docs.example.org' });
    expect(embedTrust('https://docs.example.org:8443', APP, ALLOWED)).toEqual({ kind: 'foreign', host: 'https://docs.example.org:8443' });
    expect(embedTrust(null, APP, ALLOWED)).toEqual({ kind: 'direct' });
  });

  it('spends the key only for the app and allowed hosts; a link asks first; model=settings is a request, not a grant', () => {
    expect(modelAccess({ kind: 'app' }, 'settings')).toBe('provider');
    expect(modelAccess({ kind: 'allowed', host: 'h' }, 'settings')).toBe('provider');
    expect(modelAccess({ kind: 'foreign', host: 'h' }, 'settings')).toBe('mock');
    expect(modelAccess({ kind: 'direct' }, 'settings')).toBe('confirm');
    for (const kind of ['app', 'direct'] as const) expect(modelAccess({ kind }, 'mock')).toBe('mock');
  });

  it("keeps what an embedding writes in its own namespace; only an allowed host reads the app's state", () => {
    expect(storageScope({ kind: 'app' })).toEqual({ namespace: null, readsAppState: false });
    expect(storageScope({ kind: 'allowed', host: 'https://a.example' })).toEqual({ namespace: 'https://a.example', readsAppState: true });
    expect(storageScope({ kind: 'foreign', host: 'https://b.example' })).toEqual({ namespace: 'https://b.example', readsAppState: false });
    expect(storageScope({ kind: 'direct' })).toEqual({ namespace: 'direct', readsAppState: false });
  });

  it("says why the mock answers when the page asked for the user's model", () => {
    expect(trustNotice({ kind: 'foreign', host: 'https://b.example' }, 'mock', 'settings')).toMatch(/https:\/\/b\.example is not among the hosts allowed/);
    expect(trustNotice({ kind: 'direct' }, 'confirm', 'settings')).toMatch(/Run with my model/);
    expect(trustNotice({ kind: 'app' }, 'provider', 'settings')).toBeNull();
  });
});
