/**
 * The origin of the page that embeds this one, as the browser reports it: `location.ancestorOrigins`
 * (Chromium, Safari, recent Firefox), else the referrer's origin. Null for a top-level page.
 */
export function embeddingOrigin(win: Window = window): string | null {
  if (win.parent === win) return null;
  const ancestor = win.location.ancestorOrigins?.[0];
  if (ancestor && ancestor !== 'null') return ancestor;
  try {
    return win.document.referrer ? new URL(win.document.referrer).origin : null;
  } catch {
    return null;
  }
}
