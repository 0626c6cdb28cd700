import type { Service, ServiceContext } from '../service.ts';

export async function createRestService(_ctx: ServiceContext): Promise<Service> {
  return { handle: async () => ({ status: 501, body: { message: 'REST not built yet' } }), close: async () => {} };
}
