export interface QualifiedName {
  schema: string;
  name: string;
}

/** A map key for a schema-qualified name. */
export const key = (schema: string, name: string) => `${schema}\u0000${name}`;
