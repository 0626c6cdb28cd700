import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** The quantity chosen on a product page, in the URL (`?qty=3`): it survives the trip through sign-in and a reload. */
export function useQuantityParam(): [number, (quantity: number) => void] {
  const [params, setParams] = useSearchParams();
  const parsed = Number.parseInt(params.get('qty') ?? '', 10);
  const quantity = Number.isInteger(parsed) && parsed > 0 ? parsed : 1;
  const setQuantity = useCallback(
    (next: number) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next > 1) updated.set('qty', String(next));
          else updated.delete('qty');
          return updated;
        },
        { replace: true },
      ),
    [setParams],
  );
  return [quantity, setQuantity];
}
