/** API methods of the privacy area (see docs/ARCHITECTURE.md). */
export const privacyMethods = {};
