import type { Session } from '@supabase/supabase-js';

export interface Membership {
  vendorId: string;
  vendorName: string;
  role: 'owner' | 'staff';
  /** The vendor's owners require two-factor: the membership works only from an aal2 session. */
  requireMfa?: boolean;
}

/** What a signed-in user may use: platform admin, vendor member (of some vendors), shopper. */
export interface Viewer {
  userId: string;
  email: string;
  isAdmin: boolean;
  memberships: Membership[];
}

export type Area = 'inventory' | 'team' | 'shop' | 'cart' | 'orders' | 'admin' | 'account';

/** Platform admins carry app_metadata.role = 'admin', which only the service role can set (RLS checks the same claim). */
export function isAdminSession(session: Session): boolean {
  return session.user.app_metadata.role === 'admin';
}

export function viewerOf(session: Session, memberships: Membership[]): Viewer {
  return { userId: session.user.id, email: session.user.email ?? '', isAdmin: isAdminSession(session), memberships };
}

export function canUse(viewer: Viewer | null, area: Area): boolean {
  switch (area) {
    case 'shop':
      return true;
    case 'cart':
    case 'orders':
    case 'account':
      return viewer !== null;
    case 'inventory':
      return (viewer?.memberships.length ?? 0) > 0;
    case 'team':
      return viewer?.memberships.some((m) => m.role === 'owner') ?? false;
    case 'admin':
      return viewer?.isAdmin ?? false;
  }
}

/** Where a user's work is: admins watch health, vendor members their stock, everyone else shops. */
export function landingPath(viewer: Viewer): string {
  if (viewer.isAdmin) return '/admin';
  if (viewer.memberships.length > 0) return '/inventory';
  return '/shop';
}

/** One line saying who this is, for the account menu. */
export function roleLabel(viewer: Viewer): string {
  if (viewer.isAdmin) return 'Platform admin';
  const [first, ...rest] = viewer.memberships;
  if (!first) return 'Shopper';
  const role = first.role === 'owner' ? 'Owner' : 'Staff';
  return rest.length === 0 ? `${role} · ${first.vendorName}` : `Member of ${viewer.memberships.length} vendors`;
}

/** Up to two letters for the avatar: the first letters of the email's name parts. */
export function initialsOf(email: string): string {
  const name = email.split('@')[0] ?? '';
  const parts = name.split(/[._-]+/).filter(Boolean);
  const letters = parts.length >= 2 ? parts[0]![0]! + parts[1]![0]! : name.slice(0, 2);
  return letters.toUpperCase() || '?';
}
