import { roleLabel, type Viewer } from '@/lib/viewer.ts';
import { AccountSection } from './account-section.tsx';
import { ChangePassword } from './change-password.tsx';
import { TwoFactor } from './two-factor.tsx';

/** `/account`: who you are, your password and your authenticator app. */
export function AccountPage({ viewer }: { viewer: Viewer }) {
  return (
    <div className="mx-auto max-w-3xl space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">Your sign-in details and two-factor sign-in.</p>
      </div>
      <AccountSection id="profile" title="Profile">
        <dl className="grid gap-4 text-sm sm:grid-cols-2">
          <div className="min-w-0">
            <dt className="text-slate-600">Email address</dt>
            <dd className="mt-0.5 font-medium break-all text-slate-900" data-testid="account-email">
              {viewer.email}
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Role</dt>
            <dd className="mt-0.5 font-medium text-slate-900">{roleLabel(viewer)}</dd>
          </div>
        </dl>
      </AccountSection>
      <ChangePassword email={viewer.email} />
      <TwoFactor />
    </div>
  );
}
