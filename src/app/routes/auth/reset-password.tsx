import { Link } from 'react-router';
import { AuthLayout } from '@/components/layouts/auth-layout.tsx';
import { ResetPassword } from '@/features/auth/components/reset-password.tsx';

export function ResetPasswordRoute() {
  return (
    <AuthLayout
      title="Choose a new password"
      subtitle="You opened a password reset link."
      footer={
        <Link to="/sign-in" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Back to sign in
        </Link>
      }
    >
      <ResetPassword />
    </AuthLayout>
  );
}
