import { mount } from 'svelte';
import App from './App.svelte';
import { embeddingOrigin } from './lib/embedding-origin';
import { registerServiceWorker } from './lib/service-worker';
import './app.css';

const target = document.getElementById('app') as HTMLElement;
const framedBy = embeddingOrigin();
if (framedBy !== null && framedBy !== location.origin) {
  // The app holds the user's key: inside another site's page it could be clicked into spending it
  // (clickjacking). Other sites embed the widget (embed.html), which has its own rules
  // (docs/security.md); the app itself runs only on its own.
  const note = document.createElement('p');
  note.dataset.testid = 'framed';
  note.style.cssText = 'font: 14px system-ui, sans-serif; padding: 16px; margin: 0';
  note.textContent = `semsql does not run inside pages of other sites (this one is inside ${framedBy}). Open it in its own tab, or embed the widget (embed.html) instead.`;
  target.replaceChildren(note);
} else {
  mount(App, { target });
  registerServiceWorker();
}
