import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { EmailInput, Input } from '@/components/ui/input.tsx';
import { useSignIn } from '../api/sign-in.ts';
import { useSignUp } from '../api/sign-up.ts';
import { authErrorMessage } from '../utils/auth-error-message.ts';
import {
  MIN_PASSWORD_LENGTH,
  normalizeCredentials,
  validateCredentials,
  type AuthMode,
  type CredentialErrors,
} from '../utils/validate-credentials.ts';

const copy = {
  'sign-in': { submit: 'Sign in', pending: 'Signing in…', autoComplete: 'current-password' },
  'sign-up': { submit: 'Create account', pending: 'Creating account…', autoComplete: 'new-password' },
} as const;

/**
 * Email + password form for both modes. On success the session lands in the query cache and the
 * route guard moves on; this form only collects, validates and explains.
 */
export function AuthForm({ mode }: { mode: AuthMode }) {
  const signIn = useSignIn();
  const signUp = useSignUp();
  const mutation = mode === 'sign-in' ? signIn : signUp;

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [errors, setErrors] = useState<CredentialErrors>({});
  const [attempted, setAttempted] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  const serverError = mutation.error ? authErrorMessage(mutation.error) : undefined;
  const emailError = errors.email ?? (serverError?.field === 'email' ? serverError.message : undefined);
  const passwordError = errors.password ?? (serverError?.field === 'password' ? serverError.message : undefined);
  const formError = serverError && !serverError.field ? serverError.message : undefined;
  const awaitingConfirmation = mode === 'sign-up' && signUp.isSuccess && !signUp.data.session;

  const edited = (next: { email?: string; password?: string }) => {
    if (mutation.error) mutation.reset();
    // Once the user has tried to submit, errors follow their typing instead of waiting for the next submit.
    if (attempted) setErrors(validateCredentials(mode, { email, password, ...next }));
  };

  const focusField = (field: 'email' | 'password') => (field === 'email' ? emailRef : passwordRef).current?.focus();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mutation.isPending) return;
    setAttempted(true);
    const found = validateCredentials(mode, { email, password });
    setErrors(found);
    const firstInvalid = found.email ? 'email' : found.password ? 'password' : undefined;
    if (firstInvalid) {
      focusField(firstInvalid);
      return;
    }
    mutation.mutate(normalizeCredentials({ email, password }), {
      onError: (error) => {
        const { field } = authErrorMessage(error);
        if (field === 'email' || field === 'password') focusField(field);
      },
    });
  };

  if (awaitingConfirmation) {
    return (
      <Alert tone="success" title="Check your email">
        We sent a confirmation link to {signUp.data.user?.email ?? email}. Follow it, then sign in.
      </Alert>
    );
  }

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5" aria-busy={mutation.isPending || undefined}>
      {formError && <Alert tone="error">{formError}</Alert>}
      <Field label="Email address" error={emailError}>
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
              edited({ email: event.target.value });
            }}
          />
        )}
      </Field>
      <Field
        label="Password"
        error={passwordError}
        hint={mode === 'sign-up' ? `At least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
      >
        {(control) => (
          <div className="relative">
            <Input
              {...control}
              ref={passwordRef}
              name="password"
              type={showPassword ? 'text' : 'password'}
              autoComplete={copy[mode].autoComplete}
              className="pr-16"
              value={password}
              onChange={(event) => {
                setPassword(event.target.value);
                edited({ password: event.target.value });
              }}
            />
            {/* After the input, so Tab goes email → password → this toggle → submit. */}
            <button
              type="button"
              className="absolute inset-y-1 right-1 rounded-md px-2.5 text-sm font-medium text-indigo-600 hover:bg-indigo-50 hover:text-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-600"
              aria-label={showPassword ? 'Hide password' : 'Show password'}
              onClick={() => setShowPassword((shown) => !shown)}
            >
              {showPassword ? 'Hide' : 'Show'}
            </button>
          </div>
        )}
      </Field>
      {mode === 'sign-in' && (
        <p className="-mt-2 text-right text-sm">
          {/* The typed address comes along, so it need not be typed twice. */}
          <Link to="/forgot-password" state={{ email: email.trim() }} className="font-semibold text-indigo-600 hover:text-indigo-500">
            Forgot password?
          </Link>
        </p>
      )}
      <Button type="submit" className="w-full" loading={mutation.isPending}>
        {mutation.isPending ? copy[mode].pending : copy[mode].submit}
      </Button>
    </form>
  );
}
