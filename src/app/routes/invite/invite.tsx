import { useParams } from 'react-router';
import { InvitePage } from '@/features/team/components/invite-page.tsx';

/** An invitation link: open to everyone; signed-out visitors are sent to sign in and back. */
export function InviteRoute() {
  const { token = '' } = useParams();
  return <InvitePage key={token} token={token} />;
}
