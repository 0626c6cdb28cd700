import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Card } from '@/components/ui/card.tsx';
import { useSession } from '@/features/auth/api/get-session.ts';
import { supabaseUrl } from '@/lib/supabase.ts';

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="py-3 sm:grid sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm font-medium text-slate-500">{term}</dt>
      <dd className="mt-1 text-sm text-slate-900 sm:col-span-2 sm:mt-0">{children}</dd>
    </div>
  );
}

/** The landing page after sign-in: who you are, and what this build can do so far. */
export function HomeRoute() {
  const { data: session } = useSession();
  if (!session) return null;
  const { user } = session;
  const appRole = typeof user.app_metadata.role === 'string' ? user.app_metadata.role : undefined;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Welcome</h1>
        <p className="mt-1 text-sm text-slate-600">
          Signed in as <span className="font-medium text-slate-900" data-testid="session-email">{user.email}</span>
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <h2 className="text-base font-semibold text-slate-900">Your session</h2>
          <dl className="mt-3 divide-y divide-slate-100">
            <Detail term="Email">{user.email}</Detail>
            <Detail term="Database role">
              <span data-testid="session-role">{user.role ?? 'authenticated'}</span>
            </Detail>
            <Detail term="App role">{appRole ?? 'none'}</Detail>
            <Detail term="User id">
              <code className="text-xs break-all">{user.id}</code>
            </Detail>
            <Detail term="Token expires">
              {session.expires_at ? new Date(session.expires_at * 1000).toLocaleString() : 'unknown'}
            </Detail>
          </dl>
        </Card>
        <Card>
          <h2 className="text-base font-semibold text-slate-900">What is here</h2>
          <ul className="mt-3 list-disc space-y-2 pl-5 text-sm text-slate-700">
            <li>Sign up, sign in and sign out against Supabase Auth (this page needs a session).</li>
            <li>
              <Link className="font-medium text-indigo-600 hover:text-indigo-500" to="/shop">
                The shop
              </Link>
              : every vendor&apos;s products, with availability that changes live.
            </li>
            <li>
              The API this app talks to:{' '}
              <a className="font-medium text-indigo-600 hover:text-indigo-500" href={`${supabaseUrl}/health`} target="_blank" rel="noreferrer">
                {supabaseUrl}
              </a>
            </li>
          </ul>
          <p className="mt-4 text-sm text-slate-500">The vendor stock screens and the admin health view arrive in the next issues.</p>
        </Card>
      </div>
    </div>
  );
}
