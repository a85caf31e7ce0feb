/** API methods of the analysis area (see docs/ARCHITECTURE.md). */
export const analysisMethods = {};
