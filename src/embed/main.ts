import { mount } from 'svelte';
import EmbedApp from './EmbedApp.svelte';
import { registerServiceWorker } from '../ui/lib/service-worker';
import '../ui/app.css';

mount(EmbedApp, { target: document.getElementById('widget') as HTMLElement });
registerServiceWorker();
