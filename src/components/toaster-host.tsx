import { lazy, Suspense, useEffect, useState } from 'react';
import { loadToaster, onToastWanted, toasterReady } from '@/lib/toast.ts';

const Toaster = lazy(() =>
  loadToaster().then(({ Toaster: SonnerToaster }) => ({
    default: function ReadyToaster() {
      useEffect(toasterReady, []);
      // Results of the user's own actions and alerts; never one per remote change.
      return <SonnerToaster position="bottom-right" richColors closeButton duration={6000} />;
    },
  })),
);

/** Mounts sonner's Toaster a few seconds after the app starts, or at once when a toast is wanted. */
export function ToasterHost() {
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    const stop = onToastWanted(() => setWanted(true));
    // Not while the first screen loads: a few seconds later, when the page is idle.
    const idle = window.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 0));
    const timer = setTimeout(() => idle(() => setWanted(true), { timeout: 5000 }), 3000);
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, []);
  if (!wanted) return null;
  return (
    <Suspense fallback={null}>
      <Toaster />
    </Suspense>
  );
}
