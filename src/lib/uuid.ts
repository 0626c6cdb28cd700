const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a route parameter can be an id at all (the API answers 400 to anything else). */
export const isUuid = (value: string) => UUID.test(value);
