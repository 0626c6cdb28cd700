// The generator orders names as postgres-meta does (String.prototype.localeCompare in an en-US
// runtime), with an explicit locale so the output does not depend on the machine's.
const collator = new Intl.Collator('en-US');

export const compareNames = (a: string, b: string): number => collator.compare(a, b);

export const sortedBy = <T>(items: readonly T[], name: (item: T) => string): T[] => [...items].sort((a, b) => compareNames(name(a), name(b)));
