import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert } from '@/components/ui/alert.tsx';
import { LoadError } from '@/components/ui/query-states.tsx';
import { PageSpinner } from '@/components/ui/spinner.tsx';
import { toast } from '@/lib/toast.ts';
import { useSession } from '../api/get-session.ts';
import { useRecoveryLink } from '../api/password-reset.ts';
import { useFocusOnMount } from '../hooks/use-focus-on-mount.ts';
import { needsSecondFactor } from '../utils/assurance.ts';
import { NewPasswordForm } from './new-password-form.tsx';
import { SecondFactorForm } from './second-factor-form.tsx';

function Problem({ title, children }: { title: string; children: ReactNode }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div role="alert" className="space-y-3 text-sm text-slate-700">
      <h2 ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
        {title}
      </h2>
      {children}
      <Link to="/forgot-password" className="inline-block rounded-lg bg-indigo-600 px-3.5 py-2.5 font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
        Request a new link
      </Link>
    </div>
  );
}

/**
 * `/reset-password`, where the reset mail's link lands: checks the link, asks for the
 * authenticator code first when the account has one (Auth refuses a password change at aal1
 * then), sets the new password, and goes to the user's start page signed in.
 */
export function ResetPassword() {
  const link = useRecoveryLink();
  const session = useSession();
  const navigate = useNavigate();

  if (link.isPending) return <PageSpinner label="Checking your reset link" inline />;
  if (link.isError) return <LoadError title="The reset link could not be checked" error={link.error} retrying={link.isFetching} onRetry={() => void link.refetch()} />;

  const state = link.data;
  if (state.status === 'invalid') {
    return (
      <Problem title={state.problem}>
        <p>Reset links work once, for a limited time, in the browser that asked for them. Ask for a new one and use the newest email.</p>
      </Problem>
    );
  }
  const current = session.data ?? (state.status === 'ready' ? state.session : null);
  if (state.status === 'no-link' || !current) {
    return (
      <Problem title="Open the link from your email">
        <p>This page sets a new password from the link in a reset email. No link? Ask for one.</p>
      </Problem>
    );
  }
  if (needsSecondFactor(current)) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Your link works">
          Your account uses two-factor sign-in: enter the code from your authenticator app first.
        </Alert>
        <SecondFactorForm submitLabel="Continue" session={current} />
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        Choose a new password for <span className="font-medium break-all text-slate-900">{current.user.email}</span>.
      </p>
      <NewPasswordForm
        email={current.user.email ?? ''}
        submitLabel="Save password and sign in"
        autoFocus
        onDone={() => {
          toast.success('Your password is changed. You are signed in.');
          void navigate('/', { replace: true });
        }}
      />
    </div>
  );
}
