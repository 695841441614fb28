// The saved theme (or the system's) before the first paint, so a dark-theme user sees no white
// flash. A file rather than an inline script, so the Content Security Policy can forbid inline code.
try {
  var t = localStorage.getItem('semsql-theme');
  document.documentElement.dataset.theme = t === 'light' || t === 'dark' ? t : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
} catch {
  // No storage (private mode): the CSS default applies.
}
