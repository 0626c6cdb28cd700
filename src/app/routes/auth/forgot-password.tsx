import { Link, useLocation } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout.tsx';
import { ForgotPasswordForm } from '@/features/auth/components/forgot-password-form.tsx';

export function ForgotPasswordRoute() {
  const location = useLocation();
  const email = (location.state as { email?: unknown } | null)?.email;
  return (
    <AuthLayout
      title="Reset your password"
      subtitle="Enter the address you sign in with and we will email you a link to choose a new password."
      footer={
        <>
          Remembered it?{' '}
          <Link to="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
            Back to sign in
          </Link>
        </>
      }
    >
      <ForgotPasswordForm initialEmail={typeof email === 'string' ? email : ''} />
    </AuthLayout>
  );
}
