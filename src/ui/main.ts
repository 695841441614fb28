import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './lib/service-worker';
import { framedElsewhere as framedBy, opening } from './start-engine';
import './app.css';

const target = document.getElementById('app') as HTMLElement;
if (framedBy !== null || opening === null) {
  // The app holds the user's key: inside another site's page it could be clicked into spending it
  // (clickjacking). Other sites embed the widget (embed.html), which has its own rules
  // (docs/security.md); the app itself runs only on its own.
  const note = document.createElement('p');
  note.dataset.testid = 'framed';
  note.style.cssText = 'font: 14px system-ui, sans-serif; padding: 16px; margin: 0';
  note.textContent = `semsql does not run inside pages of other sites (this one is inside ${framedBy}). Open it in its own tab, or embed the widget (embed.html) instead.`;
  target.replaceChildren(note);
} else {
  // The engine is already starting (start-engine.ts, the page's first script).
  mount(App, { target, props: { opening } });
  registerServiceWorker();
}
