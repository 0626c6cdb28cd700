export const authKeys = {
  all: ['auth'] as const,
  session: () => [...authKeys.all, 'session'] as const,
  memberships: (userId: string) => [...authKeys.all, 'memberships', userId] as const,
};
