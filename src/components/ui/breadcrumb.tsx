import { Link } from 'react-router';
import { ChevronRight } from 'lucide-react';

/** Where this page sits: links up the way, the page itself last (not a link). */
export function Breadcrumb({ items }: { items: Array<{ label: string; to?: string }> }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <ol className="flex flex-wrap items-center gap-1.5 text-slate-600">
        {items.map((item, i) => (
          <li key={`${i}-${item.label}`} className="flex items-center gap-1.5">
            {i > 0 && <ChevronRight className="size-4 text-slate-400" aria-hidden="true" />}
            {item.to ? (
              <Link to={item.to} className="font-medium hover:text-slate-900">
                {item.label}
              </Link>
            ) : (
              <span aria-current="page">{item.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
