import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { Field } from '@/components/ui/field.tsx';
import { EmailInput } from '@/components/ui/input.tsx';
import { Spinner } from '@/components/ui/spinner.tsx';
import { useSession } from '@/features/auth/api/get-session.ts';
import { assuranceOf } from '@/features/auth/utils/assurance.ts';
import { validateCredentials } from '@/features/auth/utils/validate-credentials.ts';
import { formatDateTime } from '@/lib/format.ts';
import { toast } from '@/lib/toast.ts';
import { useRemoveUserFactors, useUserFactors } from '../api/user-factors.ts';

function messageOf(error: unknown): string {
  const e = error as { message?: string; hint?: string | null } | null;
  return [e?.message || 'Something went wrong.', e?.hint].filter(Boolean).join(' ');
}

/**
 * A user who lost their authenticator asks an admin; the admin checks who they are (outside the
 * app), looks the account up by email and removes its factors. Needs the admin's own aal2.
 */
export function FactorRecovery() {
  const session = useSession();
  const adminAtAal2 = assuranceOf(session.data ?? null).current === 'aal2';
  const [email, setEmail] = useState('');
  const [emailError, setEmailError] = useState<string>();
  const [lookedUp, setLookedUp] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState('');
  const emailRef = useRef<HTMLInputElement>(null);
  const lookup = useUserFactors(lookedUp);
  const remove = useRemoveUserFactors();
  const account = lookup.data;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = validateCredentials('sign-in', { email, password: '-' }).email;
    setEmailError(problem);
    if (problem) return emailRef.current?.focus();
    setResult('');
    remove.reset();
    if (lookedUp === email.trim()) void lookup.refetch();
    setLookedUp(email.trim());
  };

  const confirmRemove = () => {
    if (!account) return;
    remove.mutate(account.userId, {
      onSuccess: (removed) => {
        setConfirming(false);
        const text = `Removed ${removed} factor${removed === 1 ? '' : 's'} from ${account.email}. They can sign in with their password and set up two-factor again.`;
        setResult(text);
        toast.success(`Two-factor removed from ${account.email}`);
        requestAnimationFrame(() => emailRef.current?.focus());
      },
    });
  };

  return (
    <section aria-labelledby="factor-recovery-title" className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-900/5 sm:p-5" data-testid="panel-factor-recovery">
      <h2 id="factor-recovery-title" className="text-sm font-semibold text-slate-900">
        Two-factor recovery
      </h2>
      <p className="mt-0.5 text-xs text-slate-600">
        For a user who lost their authenticator: check who they are first (not by email alone), then remove their factors. They sign in with their password
        and set up a new one.
      </p>
      {!adminAtAal2 && (
        <p className="mt-3 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20" data-testid="factor-recovery-needs-aal2">
          Removing factors needs your own two-factor sign-in.{' '}
          <Link to="/account" className="font-semibold underline">
            Set up an authenticator on your account
          </Link>
          , then sign in again with its code.
        </p>
      )}
      <form noValidate onSubmit={onSubmit} className="mt-4 flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="sm:w-80">
          <Field label="User's email address" error={emailError}>
            {(control) => (
              <EmailInput
                {...control}
                ref={emailRef}
                name="lookup-email"
                autoComplete="off"
                value={email}
                onChange={(event) => {
                  setEmail(event.target.value);
                  if (emailError) setEmailError(undefined);
                }}
              />
            )}
          </Field>
        </div>
        <Button type="submit" variant="secondary" className="sm:mt-7" loading={lookup.isFetching}>
          Look up
        </Button>
      </form>
      <div className="mt-4" aria-live="polite" data-testid="factor-recovery-result">
        {result && <Alert tone="success">{result}</Alert>}
        {!result && lookedUp && lookup.isPending && (
          <p className="flex items-center gap-2 text-sm text-slate-600">
            <Spinner /> Looking up {lookedUp}…
          </p>
        )}
        {!result && lookup.isError && (
          <Alert tone="error" title="The lookup failed">
            {messageOf(lookup.error)}
          </Alert>
        )}
        {!result && lookup.isSuccess && account === null && <p className="text-sm text-slate-700">No account uses {lookedUp}. Check the address for typos.</p>}
        {!result && account && (
          <div className="space-y-3">
            <p className="text-sm text-slate-700">
              <span className="font-medium break-all text-slate-900">{account.email}</span>{' '}
              {account.factors.length === 0 ? 'has no two-factor set up: they sign in with their password alone.' : `has ${account.factors.length} factor${account.factors.length === 1 ? '' : 's'}:`}
            </p>
            {account.factors.length > 0 && (
              <>
                <ul className="divide-y divide-slate-100 rounded-lg text-sm ring-1 ring-slate-200">
                  {account.factors.map((f) => (
                    <li key={f.id} className="flex flex-wrap justify-between gap-x-4 px-3 py-2">
                      <span className="font-medium text-slate-900">{f.name}</span>
                      <span className="text-slate-600">
                        {f.verified ? 'in use' : 'never verified'} · added {f.createdAt ? formatDateTime(f.createdAt) : '—'}
                      </span>
                    </li>
                  ))}
                </ul>
                <Button className="bg-red-600 hover:bg-red-500 focus-visible:outline-red-600" disabled={!adminAtAal2} onClick={() => setConfirming(true)}>
                  Remove two-factor from this account
                </Button>
              </>
            )}
          </div>
        )}
      </div>
      <Modal
        open={confirming}
        onClose={() => {
          setConfirming(false);
          remove.reset();
        }}
        title="Remove this user's two-factor?"
        description={account ? `${account.email} will sign in with their password alone until they set up an authenticator again. Do this only after checking it is really them.` : undefined}
      >
        {remove.error && (
          <div className="mb-4">
            <Alert tone="error">{messageOf(remove.error)}</Alert>
          </div>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <Button
            variant="secondary"
            onClick={() => {
              setConfirming(false);
              remove.reset();
            }}
          >
            Cancel
          </Button>
          <Button className="bg-red-600 hover:bg-red-500 focus-visible:outline-red-600" loading={remove.isPending} onClick={confirmRemove}>
            Remove two-factor
          </Button>
        </div>
      </Modal>
    </section>
  );
}
