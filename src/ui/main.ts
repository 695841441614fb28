import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from '../embed/service-worker';
import './app.css';

mount(App, { target: document.getElementById('app') as HTMLElement });
registerServiceWorker();
