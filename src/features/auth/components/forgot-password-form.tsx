import { useRef, useState, type FormEvent } from 'react';
import { MailCheck } from 'lucide-react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { EmailInput } from '@/components/ui/input.tsx';
import { useRequestPasswordReset } from '../api/password-reset.ts';
import { useFocusOnMount } from '../hooks/use-focus-on-mount.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';
import { validateCredentials } from '../utils/validate-credentials.ts';

function CheckYourMail({ email, onAgain }: { email: string; onAgain: () => void }) {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div role="status" className="space-y-4 text-sm text-slate-700">
      <MailCheck className="size-8 text-emerald-600" aria-hidden="true" />
      <h2 ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
        Check your email
      </h2>
      <p>
        If an account uses <span className="font-medium break-all text-slate-900">{email}</span>, we sent it a link to choose a new password. The link
        works once, for a limited time, in this browser; if you ask more than once, use the newest email.
      </p>
      <p>No email after a few minutes? Check the spam folder, or send another link.</p>
      <Button variant="secondary" className="w-full" onClick={onAgain}>
        Send another link
      </Button>
    </div>
  );
}

/**
 * Asks for a reset link. The answer is the same whether or not the address has an account:
 * the page never tells anyone who has one.
 */
export function ForgotPasswordForm({ initialEmail = '' }: { initialEmail?: string }) {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState(initialEmail);
  const [emailError, setEmailError] = useState<string>();
  const [sentTo, setSentTo] = useState<string>();
  const emailRef = useRef<HTMLInputElement>(null);
  const serverError = request.error ? authErrorMessage(request.error) : undefined;

  if (sentTo) {
    return (
      <CheckYourMail
        email={sentTo}
        onAgain={() => {
          request.reset();
          setSentTo(undefined);
        }}
      />
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (request.isPending) return;
    const error = validateCredentials('sign-in', { email, password: '-' }).email;
    setEmailError(error);
    if (error) return emailRef.current?.focus();
    const address = email.trim();
    request.mutate(address, { onSuccess: () => setSentTo(address) });
  };

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5" aria-busy={request.isPending || undefined}>
      {serverError && <Alert tone="error">{serverError.message}</Alert>}
      <Field label="Email address" error={emailError ?? (serverError?.field === 'email' ? serverError.message : undefined)} hint="The address you sign in with.">
        {(control) => (
          <EmailInput
            {...control}
            ref={emailRef}
            name="email"
            autoFocus
            placeholder="you@example.com"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              if (emailError) setEmailError(undefined);
              if (request.error) request.reset();
            }}
          />
        )}
      </Field>
      <Button type="submit" className="w-full" loading={request.isPending}>
        {request.isPending ? 'Sending…' : 'Send reset link'}
      </Button>
    </form>
  );
}
