import { Link } from 'react-router';

/** Unknown paths render inside the shell, with the way back. */
export function NotFoundRoute() {
  return (
    <section className="mx-auto max-w-lg py-16 text-center" aria-labelledby="not-found-title">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 id="not-found-title" className="mt-2 text-2xl font-semibold tracking-tight text-slate-900">
        Page not found
      </h1>
      <p className="mt-2 text-sm text-slate-600">The address may be mistyped, or the page has moved.</p>
      <Link to="/" className="mt-6 inline-block text-sm font-semibold text-indigo-700 hover:text-indigo-600">
        Go to your start page
      </Link>
    </section>
  );
}
