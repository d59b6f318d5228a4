/** Operation ids are cuids: checked before any lookup, so a malformed URL is a 404 without a query. */
export const operationIdPattern = /^[a-z0-9]{20,40}$/;
