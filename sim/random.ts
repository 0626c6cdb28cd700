/** A whole number from min to max, both included. */
export const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

export const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(Math.random() * items.length)];
