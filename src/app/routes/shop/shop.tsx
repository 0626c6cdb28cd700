import { Catalog } from '@/features/catalog/components/catalog.tsx';

/** The public catalog: open to everyone, signed in or not. */
export function ShopRoute() {
  return (
    <div className="mx-auto max-w-6xl">
      <Catalog />
    </div>
  );
}
