import { describe, expect, it } from 'vitest';
import { checkFetched, detectFormat, githubRawUrl, looksLikeHtml } from '../../../src/db/format-detect';

const bytes = (s: string) => new TextEncoder().encode(s);
const ok = { status: 200, statusText: 'OK', contentType: 'text/csv' };

describe('URL loads are checked before they become tables (issue 18)', () => {
  it('refuses a web page by its content type, naming what to do', () => {
    expect(() => checkFetched({ url: 'https://example.org/data', ...ok, contentType: 'text/html; charset=utf-8', head: bytes('a,b\n1,2') })).toThrow(
      'https://example.org/data is a web page (HTML), not a data file: use the raw file link',
    );
  });

  it('refuses a web page served as text/plain or as .csv by sniffing its first bytes', () => {
    for (const page of ['<!doctype html><html>', '\uFEFF  <!DOCTYPE HTML>', '<!-- generated -->\n<html lang="en">', '<head><title>x</title>']) {
      expect(looksLikeHtml(bytes(page))).toBe(true);
      expect(() => checkFetched({ url: 'https://h/x.csv', ...ok, contentType: 'text/plain', head: bytes(page) })).toThrow(/is a web page \(HTML\)/);
      expect(() => detectFormat('x.csv', bytes(page))).toThrow(/"x.csv" is a web page/);
    }
    for (const data of ['id,html\n1,<b>', '[{"a":"<html>"}]', 'PAR1']) expect(looksLikeHtml(bytes(data))).toBe(false);
  });

  it('turns a GitHub blob page link into its raw file link in the message', () => {
    const blob = 'https://github.com/owner/repo/blob/main/data/reviews.csv';
    expect(githubRawUrl(blob)).toBe('https://raw.githubusercontent.com/owner/repo/main/data/reviews.csv');
    expect(githubRawUrl('https://raw.githubusercontent.com/o/r/main/x.csv')).toBeNull();
    expect(githubRawUrl('not a url')).toBeNull();
    expect(() => checkFetched({ url: blob, ...ok, contentType: 'text/html', head: bytes('<!DOCTYPE html>') })).toThrow(
      `${blob} is GitHub's web page about the file, not the file. Use the raw file link instead: https://raw.githubusercontent.com/owner/repo/main/data/reviews.csv`,
    );
  });

  it('says the HTTP status, with a hint for the common ones', () => {
    expect(() => checkFetched({ url: 'https://h/missing.csv', status: 404, statusText: 'Not Found', contentType: 'text/html', head: bytes('<html>') })).toThrow(
      /could not fetch https:\/\/h\/missing.csv: HTTP 404 Not Found\. Check the address/,
    );
    expect(() => checkFetched({ url: 'https://h/x.csv', status: 500, statusText: '', contentType: null, head: bytes('') })).toThrow(
      'could not fetch https://h/x.csv: HTTP 500.',
    );
  });

  it('lets data through', () => {
    expect(() => checkFetched({ url: 'https://h/x.csv', ...ok, head: bytes('id,name\n1,a') })).not.toThrow();
    expect(() => checkFetched({ url: 'https://h/x', ...ok, contentType: null, head: Uint8Array.from([0x50, 0x41, 0x52, 0x31]) })).not.toThrow();
  });
});
