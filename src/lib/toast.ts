import type { ExternalToast } from 'sonner';

type Sonner = typeof import('sonner');
type Kind = 'success' | 'error' | 'warning' | 'info';

let library: Promise<Sonner> | undefined;
let mounted: () => void = () => undefined;
const toasterMounted = new Promise<void>((resolve) => (mounted = resolve));
const wanted = new Set<() => void>();

/** Loads sonner (its own chunk, not in any route's first paint). */
export function loadToaster(): Promise<Sonner> {
  library ??= import('sonner');
  return library;
}

/** Called by ToasterHost once sonner's Toaster is on screen; toasts asked for earlier show then. */
export function toasterReady(): void {
  mounted();
}

/** ToasterHost listens, to mount the Toaster as soon as a first toast is wanted. */
export function onToastWanted(listener: () => void): () => void {
  wanted.add(listener);
  return () => wanted.delete(listener);
}

function show(kind: Kind, message: string, options?: ExternalToast): void {
  for (const listener of wanted) listener();
  void Promise.all([loadToaster(), toasterMounted]).then(([sonner]) => sonner.toast[kind](message, options));
}

/**
 * sonner's toast, loaded on first use: results of the user's own actions and alerts. The same
 * calls as sonner's (`toast.success(message, { description, action })`).
 */
export const toast = {
  success: (message: string, options?: ExternalToast) => show('success', message, options),
  error: (message: string, options?: ExternalToast) => show('error', message, options),
  warning: (message: string, options?: ExternalToast) => show('warning', message, options),
  info: (message: string, options?: ExternalToast) => show('info', message, options),
};
