import { useId } from 'react';
import type { VendorGroup } from '../utils/filter-products.ts';
import { ProductCard } from './product-card.tsx';

export function VendorSection({ group }: { group: VendorGroup }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <div className="mb-4 flex items-baseline justify-between gap-4 border-b border-slate-200 pb-2">
        <h2 id={headingId} className="text-lg font-semibold tracking-tight text-slate-900">
          {group.name}
        </h2>
        <p className="text-sm text-slate-500">{group.products.length === 1 ? '1 product' : `${group.products.length} products`}</p>
      </div>
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {group.products.map((product) => (
          <li key={product.product_id}>
            <ProductCard product={product} />
          </li>
        ))}
      </ul>
    </section>
  );
}
