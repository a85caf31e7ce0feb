/** API methods of the time area (see docs/ARCHITECTURE.md). */
export const timeMethods = {};
