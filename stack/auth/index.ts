import type { Service, ServiceContext } from '../service.ts';

export async function createAuthService(_ctx: ServiceContext): Promise<Service> {
  return { handle: async () => ({ status: 501, body: { message: 'Auth not built yet' } }), close: async () => {} };
}
