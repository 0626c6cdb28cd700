import { useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { useSessionSync } from '@/features/auth/api/use-session-sync.ts';
import { createQueryClient } from '@/lib/query-client.ts';
import { ToasterHost } from '@/components/toaster-host.tsx';
import { telemetry } from '@/lib/supabase.ts';

function createAppQueryClient() {
  const queryClient = createQueryClient();
  telemetry.watchQueryCache(queryClient);
  return queryClient;
}

function SessionSync() {
  useSessionSync();
  return null;
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createAppQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <SessionSync />
      {children}
      <ToasterHost />
    </QueryClientProvider>
  );
}
