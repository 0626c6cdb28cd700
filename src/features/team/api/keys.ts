export const teamKeys = {
  all: ['team'] as const,
  members: (vendorId: string) => [...teamKeys.all, 'members', vendorId] as const,
  invitations: (vendorId: string) => [...teamKeys.all, 'invitations', vendorId] as const,
  invitation: (token: string) => [...teamKeys.all, 'invitation', token] as const,
};
