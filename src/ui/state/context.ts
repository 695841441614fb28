import { getContext, setContext } from 'svelte';
import type { Workbench } from './workbench.svelte';

const KEY = Symbol('semsql-workbench');

export function setWorkbench(workbench: Workbench): Workbench {
  return setContext(KEY, workbench);
}

export function getWorkbench(): Workbench {
  const workbench = getContext<Workbench | undefined>(KEY);
  if (!workbench) throw new Error('getWorkbench() outside the workbench');
  return workbench;
}
