/** API methods of the exchange area (see docs/ARCHITECTURE.md). */
export const exchangeMethods = {};
