/** The first block of a UUID, as people read an order number aloud: "#1F3A9C2B". */
export const shortId = (id: string) => `#${id.slice(0, 8).toUpperCase()}`;
