import { isRouteErrorResponse, useRouteError } from 'react-router';

/** Last resort when a route throws while rendering: say so instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : undefined;
  return (
    <main role="alert" className="flex min-h-dvh flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Something went wrong</h1>
      {detail && <p className="max-w-lg text-sm text-slate-600">{detail}</p>}
      <a href="/" className="text-sm font-semibold text-indigo-600 hover:text-indigo-500">
        Reload the app
      </a>
    </main>
  );
}
