import { toast } from '@/lib/toast.ts';
import { Button } from '@/components/ui/button.tsx';
import { Modal } from '@/components/ui/dialog.tsx';
import { useCreateProduct } from '../api/create-product.ts';
import { productDbError } from '../utils/product-form.ts';
import { ProductForm } from './product-form.tsx';

/** A new product of the vendor, unstocked; the drawer opens on it so it can be stocked at once. */
export function AddProductDialog({ open, onClose, vendorId, onCreated }: { open: boolean; onClose: () => void; vendorId: string; onCreated: (productId: string) => void }) {
  const create = useCreateProduct();
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal open={open} onClose={close} title="Add a product" description="It starts with no stock; set its count per location next." width="max-w-lg">
      <ProductForm
        withSku
        submitLabel="Add product"
        pending={create.isPending}
        serverErrors={create.error ? productDbError(create.error) : {}}
        initial={{ sku: '', name: '', description: '', price: '', lowStockThreshold: '5', active: true }}
        secondary={
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
        }
        onSubmit={(draft) =>
          create.mutate(
            {
              vendor_id: vendorId,
              sku: draft.sku.trim(),
              name: draft.name.trim(),
              description: draft.description,
              price: Number(draft.price),
              low_stock_threshold: Number(draft.lowStockThreshold),
            },
            {
              onSuccess: ({ id }) => {
                toast.success(`${draft.name.trim()} added`, { description: 'Set its count at each location.' });
                close();
                onCreated(id);
              },
            },
          )
        }
      />
    </Modal>
  );
}
