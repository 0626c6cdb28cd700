import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center">
      <p className="text-sm font-semibold text-indigo-600">404</p>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Page not found</h1>
      <Link to="/" className="text-sm font-semibold text-indigo-600 hover:text-indigo-500">
        Go home
      </Link>
    </main>
  );
}
