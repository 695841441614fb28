import type { SemSQL } from '../client';

declare global {
  interface Window {
    /** The open client on the app page, for automation and the devtools console. */
    semsql?: SemSQL;
  }
}
