export interface ProductDraft {
  sku: string;
  name: string;
  description: string;
  price: string;
  lowStockThreshold: string;
  active: boolean;
}

export type ProductFieldErrors = Partial<Record<'sku' | 'name' | 'description' | 'price' | 'lowStockThreshold' | 'form', string>>;

const SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PRICE = /^\d{1,10}(\.\d{1,2})?$/;

/** The same rules as the table's constraints (supabase/migrations/*_catalog.sql), said in words. */
export function validateProduct(draft: ProductDraft, { withSku }: { withSku: boolean }): ProductFieldErrors {
  const errors: ProductFieldErrors = {};
  if (withSku && !SKU.test(draft.sku.trim())) errors.sku = 'Letters, digits, dot, dash or underscore; up to 64, starting with a letter or digit.';
  const name = draft.name.trim();
  if (name.length < 1 || name.length > 200) errors.name = 'Give the product a name (up to 200 characters).';
  if (draft.description.length > 5000) errors.description = 'Keep the description under 5,000 characters.';
  if (!PRICE.test(draft.price.trim())) errors.price = 'A price like 24.99 (0 or more, at most 2 decimals).';
  if (!/^\d{1,9}$/.test(draft.lowStockThreshold.trim())) errors.lowStockThreshold = 'A whole number, 0 or more.';
  return errors;
}

interface DbError {
  code?: string;
  message?: string;
}

/** A refused insert or update, on the field it is about (constraint names from the catalog migration). */
export function productDbError(error: unknown): ProductFieldErrors {
  const { code = '', message = '' } = (error ?? {}) as DbError;
  if (code === '23505' && message.includes('products_vendor_sku_key')) return { sku: 'This SKU is already used by another of your products.' };
  if (code === '23514') {
    if (message.includes('products_sku_format')) return { sku: 'This SKU has characters that are not allowed.' };
    if (message.includes('products_name_length')) return { name: 'Give the product a name (up to 200 characters).' };
    if (message.includes('products_price_non_negative')) return { price: 'The price cannot be negative.' };
    if (message.includes('products_low_stock_threshold_non_negative')) return { lowStockThreshold: 'The threshold cannot be negative.' };
  }
  if (code === '42501') return { form: 'Only members of this vendor can change its products.' };
  if (code === 'PGRST116') return { form: 'This product is not in your inventory any more. Reload the page.' };
  return { form: message || 'The product could not be saved. Try again.' };
}
