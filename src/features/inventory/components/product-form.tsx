import { useState, type FormEvent, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input } from '@/components/ui/input.tsx';
import { validateProduct, type ProductDraft, type ProductFieldErrors } from '../utils/product-form.ts';

interface Props {
  initial: ProductDraft;
  withSku: boolean;
  submitLabel: string;
  pending: boolean;
  serverErrors: ProductFieldErrors;
  onSubmit: (draft: ProductDraft) => void;
  secondary?: ReactNode;
}

/** Name, description, price, low-stock threshold (and SKU for a new product, active for an existing one). */
export function ProductForm({ initial, withSku, submitLabel, pending, serverErrors, onSubmit, secondary }: Props) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<ProductFieldErrors>({});
  const shown = { ...serverErrors, ...errors };
  const edit = (changes: Partial<ProductDraft>) => {
    setDraft((d) => ({ ...d, ...changes }));
    setErrors({});
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = validateProduct(draft, { withSku });
    setErrors(found);
    if (Object.keys(found).length === 0 && !pending) onSubmit(draft);
  };
  return (
    <form noValidate onSubmit={submit} className="space-y-4">
      {shown.form && <Alert tone="error">{shown.form}</Alert>}
      {withSku && (
        <Field label="SKU" error={shown.sku}>
          {(control) => <Input {...control} className="font-mono" autoCapitalize="characters" spellCheck={false} value={draft.sku} onChange={(e) => edit({ sku: e.target.value })} />}
        </Field>
      )}
      <Field label="Name" error={shown.name}>
        {(control) => <Input {...control} value={draft.name} onChange={(e) => edit({ name: e.target.value })} />}
      </Field>
      <Field label="Description" error={shown.description} hint="Shown to shoppers in the shop.">
        {(control) => (
          <textarea
            {...control}
            rows={3}
            value={draft.description}
            onChange={(e) => edit({ description: e.target.value })}
            className="block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none aria-invalid:ring-red-500"
          />
        )}
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Price (USD)" error={shown.price}>
          {(control) => <Input {...control} inputMode="decimal" value={draft.price} onChange={(e) => edit({ price: e.target.value })} />}
        </Field>
        <Field label="Low-stock threshold" error={shown.lowStockThreshold} hint="Flagged low at or below this many available.">
          {(control) => <Input {...control} inputMode="numeric" value={draft.lowStockThreshold} onChange={(e) => edit({ lowStockThreshold: e.target.value })} />}
        </Field>
      </div>
      {!withSku && (
        <label className="flex items-center gap-2.5 text-sm font-medium text-slate-900">
          <input
            type="checkbox"
            className="size-4 rounded border-slate-300 accent-indigo-600"
            checked={draft.active}
            onChange={(e) => edit({ active: e.target.checked })}
          />
          Active (listed in the shop and reservable)
        </label>
      )}
      <div className="flex justify-end gap-2 border-t border-slate-100 pt-4">
        {secondary}
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
